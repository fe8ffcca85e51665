import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { TENANT_RULE_NAME } from '@internal/plugin-fabric-common';
import {
  createTenantPermissionRule,
  TenantScopedAccess,
} from './tenantPermissions';

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
const createThing = createPermission({
  name: 'things.thing.create',
  attributes: { action: 'create' },
});
const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';
const isTenant = (tenantRefs: string[]) => ({
  rule: TENANT_RULE_NAME,
  resourceType: 'things-thing',
  params: { tenantRefs },
});

function accessWith(decision: Record<string, unknown>): TenantScopedAccess {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockResolvedValue([decision as any]);
  permissions.authorizeConditional.mockResolvedValue([decision as any]);
  return new TenantScopedAccess(permissions, thingRules.rules, 'thing');
}

const user = mockCredentials.user('user:default/bea.birds');

describe('the tenant rule', () => {
  const rule = thingRules.rule;

  it('matches a resource of a listed tenant, ignoring case', () => {
    expect(
      rule.apply(
        { tenant: 'Tenant:default/Project-Birds' },
        { tenantRefs: [BIRDS] },
      ),
    ).toBe(true);
    expect(rule.apply({ tenant: ORCHARD }, { tenantRefs: [BIRDS] })).toBe(
      false,
    );
  });

  it('never matches a resource of no tenant', () => {
    expect(rule.apply({}, { tenantRefs: [BIRDS] })).toBe(false);
    expect(rule.apply({ tenant: null }, { tenantRefs: [BIRDS] })).toBe(false);
  });

  it('turns the condition into the lower-cased list the stores filter on', () => {
    expect(
      rule.toQuery({ tenantRefs: ['Tenant:default/Project-Birds'] }),
    ).toEqual([BIRDS]);
  });
});

describe('TenantScopedAccess', () => {
  it('scopes an unconditional allow to everything', async () => {
    const access = accessWith({ result: AuthorizeResult.ALLOW });
    await expect(access.scope(user, readThing)).resolves.toEqual({ all: true });
  });

  it('scopes a conditional decision to its tenants; AND intersects, OR unions, NOT gives none', async () => {
    const conditional = (conditions: unknown) =>
      accessWith({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'things',
        resourceType: 'things-thing',
        conditions,
      });
    await expect(
      conditional({ anyOf: [isTenant([BIRDS]), isTenant([ORCHARD])] }).scope(
        user,
        readThing,
      ),
    ).resolves.toEqual({ all: false, tenants: [BIRDS, ORCHARD] });
    await expect(
      conditional({
        allOf: [isTenant([BIRDS, ORCHARD]), isTenant([BIRDS])],
      }).scope(user, readThing),
    ).resolves.toEqual({ all: false, tenants: [BIRDS] });
    await expect(
      conditional({ not: isTenant([BIRDS]) }).scope(user, readThing),
    ).resolves.toEqual({ all: false, tenants: [] });
  });

  it('refuses a denied scope and names the permission', async () => {
    const access = accessWith({ result: AuthorizeResult.DENY });
    await expect(access.scope(user, readThing)).rejects.toThrow(
      'Not allowed: things.thing.read',
    );
    await expect(access.assertAllowed(user, createThing)).rejects.toMatchObject(
      {
        name: 'NotAllowedError',
      },
    );
  });

  it('checks one resource against the conditions', async () => {
    const access = accessWith({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'things',
      resourceType: 'things-thing',
      conditions: isTenant([BIRDS]),
    });
    await expect(
      access.allows(user, readThing, { tenant: BIRDS }),
    ).resolves.toBe(true);
    await expect(
      access.assertAllowedFor(user, readThing, { tenant: ORCHARD }),
    ).rejects.toThrow(
      'Not allowed: things.thing.read (not one of your tenants)',
    );
    await expect(access.assertAllowedFor(user, readThing, {})).rejects.toThrow(
      '(a thing of no tenant)',
    );
  });
});
