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

describe('TenantScopedAccess.findFor (a resource asked for by id)', () => {
  const withdrawThing = createPermission({
    name: 'things.thing.withdraw',
    attributes: { action: 'update' },
    resourceType: 'things-thing',
  });
  const birdsOnly = {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'things',
    resourceType: 'things-thing',
    conditions: isTenant([BIRDS]),
  };
  /** Reads birds' things; may withdraw nothing. */
  function readerOfBirds() {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockImplementation(async ([request]) => [
      request.permission.name === readThing.name
        ? (birdsOnly as any)
        : { result: AuthorizeResult.DENY },
    ]);
    return new TenantScopedAccess(
      permissions,
      thingRules.rules,
      'thing',
      readThing,
    );
  }
  const things: Record<string, { id: string; tenant?: string }> = {
    b1: { id: 'b1', tenant: BIRDS },
    o1: { id: 'o1', tenant: ORCHARD },
    n1: { id: 'n1' },
  };
  const find = async (id: string) => things[id];
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      value => ({ value }),
      (e: Error) => ({ name: e.name, message: e.message }),
    );

  it("returns the caller's own tenant's resource", async () => {
    await expect(
      readerOfBirds().findFor(user, readThing, 'b1', find),
    ).resolves.toEqual(things.b1);
  });

  it("answers another tenant's resource, and one of no tenant, exactly like a missing id", async () => {
    const access = readerOfBirds();
    const missing = await outcome(
      access.findFor(user, readThing, 'x1', find),
    );
    expect(missing).toEqual({
      name: 'NotFoundError',
      message: 'No thing with id x1',
    });
    for (const id of ['o1', 'n1']) {
      for (const permission of [readThing, withdrawThing]) {
        expect(
          await outcome(access.findFor(user, permission, id, find)),
        ).toEqual({ name: 'NotFoundError', message: `No thing with id ${id}` });
      }
    }
  });

  it('refuses with NotAllowedError what the caller may read but not do', async () => {
    await expect(
      readerOfBirds().findFor(user, withdrawThing, 'b1', find),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed: things.thing.withdraw (not one of your tenants)',
    });
  });
});
