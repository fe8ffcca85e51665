/**
 * Permission policy of the Fabric Portal: admins and operators from catalog
 * groups (`permission.fabric`), tenant isolation for every other user.
 *
 * @packageDocumentation
 */

export { permissionModuleFabricPolicy as default } from './module';
export { FabricPermissionPolicy } from './policy';
export type { FabricRole } from './policy';
export { readFabricPolicyConfig, FABRIC_POLICY_CONFIG_KEY } from './config';
export type { FabricPolicyConfig } from './config';
export { TenantDirectory, DEFAULT_TENANT_CACHE_TTL_MS } from './tenants';
