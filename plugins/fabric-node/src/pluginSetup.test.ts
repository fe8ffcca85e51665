import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { TENANT_RULE_NAME } from '@internal/plugin-fabric-common';
import {
  importLegacySigningKeys,
  migratedDatabase,
  registerTenantResource,
} from './pluginSetup';
import { SigningKeysService } from './signingKeys';
import { createTenantPermissionRule } from './tenantPermissions';

const thingRules = createTenantPermissionRule({
  pluginId: 'things',
  resourceType: 'things-thing',
  resources: 'things',
});
const readThing = createPermission({
  name: 'things.thing.read',
  attributes: { action: 'read' },
  resourceType: 'things-thing',
});
const BIRDS = 'tenant:default/project-birds';
const things: Record<string, { id: string; tenant: string }> = {
  a: { id: 'a', tenant: BIRDS },
  b: { id: 'b', tenant: 'tenant:default/project-cats' },
};

describe('registerTenantResource', () => {
  it('registers the resource type with a loader by id, and checks access with the same rules', async () => {
    const permissionsRegistry = mockServices.permissionsRegistry.mock();
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValue([
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'things',
        resourceType: 'things-thing',
        conditions: {
          rule: TENANT_RULE_NAME,
          resourceType: 'things-thing',
          params: { tenantRefs: [BIRDS] },
        },
      },
    ]);
    const access = registerTenantResource({
      permissions,
      permissionsRegistry,
      rules: thingRules,
      resourcePermissions: [readThing],
      readPermission: readThing,
      noun: 'thing',
      find: async id => things[id],
    });

    const [registered] = permissionsRegistry.addResourceType.mock.calls[0];
    expect(registered.resourceRef).toBe(thingRules.resourceRef);
    expect(registered.permissions).toEqual([readThing]);
    expect(registered.rules).toEqual(thingRules.rules);
    await expect(
      registered.getResources!(['b', 'missing', 'a']),
    ).resolves.toEqual([things.b, undefined, things.a]);

    const user = mockCredentials.user();
    await expect(
      access.findFor(user, readThing, 'a', async id => things[id]),
    ).resolves.toEqual(things.a);
    // Another tenant's, by id: answered like a missing one, in the plugin's own noun.
    await expect(
      access.findFor(user, readThing, 'b', async id => things[id]),
    ).rejects.toThrow('No thing with id b');
  });
});

describe('importLegacySigningKeys', () => {
  const row = {
    userRef: 'user:default/olga',
    fingerprint: 'ABCD',
    armoredKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  function registryImporting(imported: number) {
    const importLegacy = jest.fn(async () => ({ imported, skipped: 0 }));
    return {
      importLegacy,
      signingKeys: { importLegacy } as unknown as SigningKeysService,
    };
  }

  it('hands the rows to the registry under the plugin name and warns about what it took in', async () => {
    const logger = mockServices.logger.mock();
    const { importLegacy, signingKeys } = registryImporting(1);
    await importLegacySigningKeys({
      source: 'approvals',
      rows: [row],
      signingKeys,
      logger,
    });
    expect(importLegacy).toHaveBeenCalledWith('approvals', [row]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Imported 1 signing keys of the old approvals table .* as flagged/,
      ),
    );
  });

  it('says nothing when there was nothing new to import', async () => {
    const logger = mockServices.logger.mock();
    const { signingKeys } = registryImporting(0);
    await importLegacySigningKeys({
      source: 'evidence',
      rows: [row],
      signingKeys,
      logger,
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe('migratedDatabase', () => {
  it('migrates the client the database service gives before handing it out', async () => {
    const client = { name: 'knex' } as any;
    const database = { getClient: jest.fn(async () => client) };
    const steps: string[] = [];
    const applyMigrations = jest.fn(async (knex: unknown, db: unknown) => {
      expect(knex).toBe(client);
      expect(db).toBe(database);
      steps.push('migrated');
    });
    const db = await migratedDatabase(database as any, applyMigrations);
    steps.push('returned');
    expect(db).toBe(client);
    expect(steps).toEqual(['migrated', 'returned']);
  });
});
