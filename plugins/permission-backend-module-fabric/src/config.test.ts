import { ConfigReader } from '@backstage/config';
import { readFabricPolicyConfig } from './config';

function read(fabric: unknown) {
  return readFabricPolicyConfig(
    new ConfigReader(
      fabric === undefined
        ? { permission: { enabled: true } }
        : ({ permission: { enabled: true, fabric } } as any),
    ),
  );
}

describe('readFabricPolicyConfig', () => {
  it('reads the block and canonicalises group refs', () => {
    expect(
      read({
        adminGroups: ['group:default/Admins'],
        operatorGroups: [
          'platform-operators',
          'group:default/platform-operators',
        ],
        governanceGroups: ['governance', 'group:default/Governance'],
        tenantPermissions: [
          'approvals.proposal.read',
          'approvals.proposal.read',
        ],
      }),
    ).toEqual({
      adminGroups: ['group:default/admins'],
      operatorGroups: ['group:default/platform-operators'],
      governanceGroups: ['group:default/governance'],
      tenantPermissions: ['approvals.proposal.read'],
    });
  });

  it('defaults admins, governance and tenant permissions to none', () => {
    expect(
      read({ operatorGroups: ['group:default/platform-operators'] }),
    ).toEqual({
      adminGroups: [],
      operatorGroups: ['group:default/platform-operators'],
      governanceGroups: [],
      tenantPermissions: [],
    });
  });

  it('refuses an operator or admin group as the governance group', () => {
    // An operator who could also give [CEO_APPROVED] would break the separation of duties.
    expect(() =>
      read({
        operatorGroups: ['group:default/platform-operators'],
        governanceGroups: ['platform-operators'],
      }),
    ).toThrow(
      /- permission\.fabric\.governanceGroups\[0\]: group:default\/platform-operators is also an operator or admin group/,
    );
    expect(() =>
      read({
        operatorGroups: ['group:default/platform-operators'],
        adminGroups: ['group:default/admins'],
        governanceGroups: ['group:default/admins'],
      }),
    ).toThrow(/governanceGroups\[0\]: group:default\/admins is also/);
  });

  it('refuses a missing block', () => {
    expect(() => read(undefined)).toThrow(
      /Missing configuration permission\.fabric: .*permission\.fabric\.operatorGroups/,
    );
  });

  it('requires at least one operator group', () => {
    expect(() => read({ operatorGroups: [] })).toThrow(
      /- permission\.fabric\.operatorGroups: needs at least 1 entry/,
    );
    expect(() => read({ adminGroups: ['group:default/admins'] })).toThrow(
      /- permission\.fabric\.operatorGroups: is missing; add it/,
    );
  });

  it('names the entry that is not a group ref', () => {
    expect(() =>
      read({
        operatorGroups: ['group:default/platform-operators'],
        adminGroups: ['group:default/admins', 'user:default/ada.admin'],
      }),
    ).toThrow(
      /- permission\.fabric\.adminGroups\[1\]: "user:default\/ada\.admin" points at a user; it must name a Group, e\.g\. group:default\/platform-operators/,
    );
  });

  it('names a tenant permission that is not one of our plugins', () => {
    expect(() =>
      read({
        operatorGroups: ['group:default/platform-operators'],
        tenantPermissions: ['approvals.proposal.read', 'catalog.entity.delete'],
      }),
    ).toThrow(
      /- permission\.fabric\.tenantPermissions\[1\]: "catalog\.entity\.delete" is not a permission of the approvals, evidence, drift or signing-keys plugins/,
    );
  });

  it('names an unknown key', () => {
    expect(() =>
      read({
        operatorGroups: ['group:default/platform-operators'],
        operatorGroup: ['group:default/admins'],
      }),
    ).toThrow(/- permission\.fabric: unknown field 'operatorGroup'/);
  });
});
