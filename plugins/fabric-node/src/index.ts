/**
 * Backend helpers shared by the Fabric plugins (approvals, evidence, drift).
 *
 * @packageDocumentation
 */
export {
  createTenantPermissionRule,
  TenantScopedAccess,
  type TenantScope,
  type TenantScoped,
} from './tenantPermissions';
export { fabricErrorHandler, parseInput, signingKeysMoved } from './http';
export {
  isMigrationRace,
  pluginMigrations,
  runMigrations,
  type ApplyMigrations,
} from './migrations';
export {
  JsonTextScanner,
  jsonBodyGuard,
  jsonTextProblem,
  type JsonBodyGuardOptions,
} from './jsonGuard';
export { checkSigningKey, verifyDetachedSignature } from './openpgp';
export {
  signingKeysServiceRef,
  type ActiveSigningKey,
  type LegacySigningKey,
  type SigningKeysService,
} from './signingKeys';
export {
  createFabricRolesService,
  fabricRolesServiceRef,
  readFabricPolicyConfig,
  FABRIC_PLUGIN_PERMISSION_PREFIXES,
  FABRIC_POLICY_CONFIG_KEY,
  type FabricPolicyConfig,
  type FabricRolesService,
} from './fabricRoles';
export {
  createServiceRegistryRef,
  DeferredServiceRegistry,
  type ServiceRegistry,
} from './deferredRegistry';
export { fabricPluginCoreDeps } from './pluginDeps';
export {
  importLegacySigningKeys,
  migratedDatabase,
  registerTenantResource,
} from './pluginSetup';
export { isInWindow, validateWindow, windowOccurrenceAt } from './windows';
