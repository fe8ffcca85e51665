import { ConfigReader } from '@backstage/config';
import { createFabricRolesService } from './fabricRoles';

describe('createFabricRolesService', () => {
  it('gives the reviewer groups as the policy reads them: canonical refs, whatever their spelling', () => {
    // A short ref and upper case: the policy treats these as the operators' group, so the
    // approvals service must too (it read the raw strings before and missed them).
    const roles = createFabricRolesService(
      new ConfigReader({
        permission: {
          fabric: {
            operatorGroups: ['platform-operators'],
            adminGroups: ['group:default/Portal-Admins', 'platform-operators'],
          },
        },
      }),
    );
    expect(roles.reviewerGroups()).toEqual([
      'group:default/platform-operators',
      'group:default/portal-admins',
    ]);
    expect(roles.policyConfig().operatorGroups).toEqual([
      'group:default/platform-operators',
    ]);
  });

  it('has no reviewers without the Fabric policy, and refuses a broken policy config', () => {
    expect(
      createFabricRolesService(new ConfigReader({})).reviewerGroups(),
    ).toEqual([]);
    expect(() =>
      createFabricRolesService(new ConfigReader({})).policyConfig(),
    ).toThrow('Missing configuration permission.fabric');
    const broken = createFabricRolesService(
      new ConfigReader({
        permission: { fabric: { operatorGroups: ['user:default/eve'] } },
      }),
    );
    expect(() => broken.reviewerGroups()).toThrow(
      /permission\.fabric\.operatorGroups\[0\]: .* points at a user; it must name a Group/,
    );
  });

  it('keeps the governance group apart from operators', () => {
    const roles = createFabricRolesService(
      new ConfigReader({
        permission: {
          fabric: {
            operatorGroups: ['platform-operators'],
            governanceGroups: ['governance'],
          },
        },
      }),
    );
    expect(roles.governanceGroups()).toEqual(['group:default/governance']);
    expect(roles.reviewerGroups()).not.toContain('group:default/governance');
    const mixed = createFabricRolesService(
      new ConfigReader({
        permission: {
          fabric: {
            operatorGroups: ['platform-operators'],
            governanceGroups: ['group:default/platform-operators'],
          },
        },
      }),
    );
    expect(() => mixed.governanceGroups()).toThrow(
      /permission\.fabric\.governanceGroups\[0\]: group:default\/platform-operators is also an operator or admin group/,
    );
  });
});
