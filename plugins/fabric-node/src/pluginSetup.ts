import {
  DatabaseService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Permission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import type { ApplyMigrations } from './migrations';
import type { LegacySigningKey, SigningKeysService } from './signingKeys';
import {
  createTenantPermissionRule,
  TenantScoped,
  TenantScopedAccess,
} from './tenantPermissions';

/**
 * The start-up steps the tenant-scoped Fabric plugins (approvals, evidence, drift) share. Each
 * plugin's `plugin.ts` still lists its own services, tasks and router explicitly; only what is
 * the same in all of them is written here.
 */

/** The plugin's database client, its schema migrated first (unless the database service says skip). */
export async function migratedDatabase(
  database: DatabaseService,
  applyMigrations: ApplyMigrations,
): Promise<Knex> {
  const db = await database.getClient();
  await applyMigrations(db, database);
  return db;
}

/**
 * Registers a tenant-scoped resource type with the permission framework (its IS_TENANT rule, its
 * permissions, and how to load resources by id for conditional decisions) and returns the one
 * access checker the plugin's router and its in-process API share.
 */
export function registerTenantResource<T extends TenantScoped>(options: {
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  rules: ReturnType<typeof createTenantPermissionRule>;
  /** Every permission of the plugin, registered with the resource type. */
  resourcePermissions: Permission[];
  /** The permission to see one resource at all: without it, another tenant's id is not found. */
  readPermission: ResourcePermission;
  /** Singular noun for messages, e.g. "drift run". */
  noun: string;
  find: (id: string) => Promise<T | undefined>;
}): TenantScopedAccess {
  const { rules, find } = options;
  options.permissionsRegistry.addResourceType({
    resourceRef: rules.resourceRef,
    permissions: options.resourcePermissions,
    rules: rules.rules,
    getResources: async ids => Promise.all(ids.map(id => find(id))),
  });
  return new TenantScopedAccess(
    options.permissions,
    rules.rules,
    options.noun,
    options.readPermission,
  );
}

/**
 * Imports the keys of a plugin's old signing-key table into the registry. Those keys were
 * registered without proof of possession, so the registry takes them in flagged, trusted by
 * nothing until their owner registers again; the import is idempotent.
 */
export async function importLegacySigningKeys(options: {
  /** The plugin whose table the rows come from, e.g. "approvals". */
  source: string;
  rows: LegacySigningKey[];
  signingKeys: SigningKeysService;
  logger: LoggerService;
}): Promise<void> {
  const { source, logger } = options;
  const { imported } = await options.signingKeys.importLegacy(
    source,
    options.rows,
  );
  if (imported > 0) {
    logger.warn(
      `Imported ${imported} signing keys of the old ${source} table into the signing-key registry as flagged; they verify nothing until their owners register them again`,
    );
  }
}
