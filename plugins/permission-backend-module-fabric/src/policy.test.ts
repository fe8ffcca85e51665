import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  taskCreatePermission,
  taskReadPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  approvalsAuditVerifyPermission,
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalCreatePermission,
  approvalsProposalReadPermission,
} from '@internal/plugin-approvals-common';
import {
  signingKeyAdministerPermission,
  signingKeyManagePermission,
} from '@internal/plugin-fabric-common';
import { readFabricPolicyConfig } from './config';
import { FabricPermissionPolicy } from './policy';
import { TenantDirectory } from './tenants';
import { loadCatalogFile, ownershipOf } from '@internal/fabric-test-utils';

// The evidence plugin does not exist yet; this is the name CI's token is restricted to.
const evidencePacketCreatePermission = createPermission({
  name: 'evidence.packet.create',
  attributes: { action: 'create' },
});

const repoPolicyConfig = {
  adminGroups: ['group:default/admins'],
  operatorGroups: ['group:default/platform-operators'],
  governanceGroups: ['group:default/governance'],
  tenantPermissions: [
    'approvals.proposal.read',
    'approvals.proposal.create',
    'approvals.proposal.withdraw',
    'approvals.gate.read',
  ],
};

/** Users by entity ref -> the ownership refs their sign-in would carry. */
const users: Record<string, string[]> = {
  'user:default/ada.admin': ownershipOf('ada.admin'),
  'user:default/olivia.operator': ownershipOf('olivia.operator'),
  'user:default/greta.governance': ownershipOf('greta.governance'),
  'user:default/bea.birds': ownershipOf('bea.birds'),
  // Signed in, but in no group (e.g. a catalog user nobody has placed yet).
  'user:default/newcomer': ['user:default/newcomer'],
  // Member of a tenant team and an operator.
  'user:default/dual': [
    'user:default/dual',
    'group:default/team-birds',
    'group:default/platform-operators',
  ],
  // Member of two tenant teams.
  'user:default/pat.two-teams': [
    'user:default/pat.two-teams',
    'group:default/team-harbor',
    'group:default/team-birds',
  ],
};

function createPolicy(
  policyConfig: object = repoPolicyConfig,
  options: { logger?: ReturnType<typeof mockServices.logger.mock> } = {},
) {
  const userInfo = mockServices.userInfo.mock({
    async getUserInfo(credentials): Promise<BackstageUserInfo> {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: users[ref] ?? [ref] };
    },
  });
  const tenants = new TenantDirectory({
    catalog: catalogServiceMock({ entities: loadCatalogFile('tenants.yaml') }),
    auth: mockServices.auth(),
  });
  return new FabricPermissionPolicy({
    config: readFabricPolicyConfig(
      new ConfigReader({ permission: { fabric: policyConfig } }),
    ),
    userInfo,
    tenants,
    logger: options.logger,
  });
}

function decide(
  policy: FabricPermissionPolicy,
  userRef: string | undefined,
  permission: Permission,
): Promise<PolicyDecision> {
  return policy.handle(
    { permission },
    userRef
      ? {
          credentials: mockCredentials.user(userRef),
          info: {
            userEntityRef: userRef,
            ownershipEntityRefs: users[userRef] ?? [userRef],
          },
        }
      : undefined,
  );
}

const ALLOW = { result: AuthorizeResult.ALLOW };
const DENY = { result: AuthorizeResult.DENY };

const ce = (rule: string, params: object) => ({
  rule,
  resourceType: 'catalog-entity',
  params,
});

/** The tenancy rule as the catalog receives it, written out for a caller's claims and tenants. */
/** Templates a tenant member reads: those needing a permission of repoPolicyConfig's list. */
function templateReadCriteria(tenantRefs: string[]) {
  const REQUIRED = 'fabric.samakia.io/required-permission';
  const TENANT = 'fabric.samakia.io/required-permission-tenant';
  const notTemplate = { not: ce('IS_ENTITY_KIND', { kinds: ['Template'] }) };
  if (!tenantRefs.length) return notTemplate;
  const tenantIs = tenantRefs.map(value =>
    ce('HAS_ANNOTATION', { annotation: TENANT, value }),
  );
  return {
    anyOf: [
      notTemplate,
      {
        allOf: [
          {
            anyOf: [...repoPolicyConfig.tenantPermissions]
              .sort()
              .map(value =>
                ce('HAS_ANNOTATION', { annotation: REQUIRED, value }),
              ),
          },
          {
            anyOf: [
              { not: ce('HAS_ANNOTATION', { annotation: TENANT }) },
              tenantIs.length === 1 ? tenantIs[0] : { anyOf: tenantIs },
            ],
          },
        ],
      },
    ],
  };
}

function catalogReadDecision(
  claims: string[],
  myTenantNames: string[],
  foreignOwners: string[],
  tenantRefs: string[],
) {
  const anyLabel = ce('HAS_LABEL', { label: 'fabric.samakia.io/tenant' });
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions: {
      allOf: [
        tenancyReadCriteria(claims, myTenantNames, foreignOwners, anyLabel),
        templateReadCriteria(tenantRefs),
      ],
    },
  };
}

function tenancyReadCriteria(
  claims: string[],
  myTenantNames: string[],
  foreignOwners: string[],
  anyLabel: object,
) {
  return {
    not: {
      anyOf: [
        {
          allOf: [
            ce('IS_ENTITY_KIND', { kinds: ['Tenant'] }),
            { not: ce('IS_ENTITY_OWNER', { claims: [...claims].sort() }) },
          ],
        },
        myTenantNames.length
          ? {
              allOf: [
                anyLabel,
                {
                  not: {
                    anyOf: myTenantNames.map(value =>
                      ce('HAS_LABEL', {
                        label: 'fabric.samakia.io/tenant',
                        value,
                      }),
                    ),
                  },
                },
              ],
            }
          : anyLabel,
        ce('IS_ENTITY_OWNER', { claims: foreignOwners }),
      ],
    },
  };
}

function proposalDecision(tenantRefs: string[]) {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'approvals',
    resourceType: 'approvals-proposal',
    conditions: {
      rule: 'IS_TENANT',
      resourceType: 'approvals-proposal',
      params: { tenantRefs },
    },
  };
}

function taskOwnerDecision(userRef: string) {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'scaffolder',
    resourceType: 'scaffolder-task',
    conditions: {
      rule: 'IS_TASK_OWNER',
      resourceType: 'scaffolder-task',
      params: { createdBy: [userRef] },
    },
  };
}

const permissions = {
  'catalog.entity.read': catalogEntityReadPermission,
  'catalog.entity.delete': catalogEntityDeletePermission,
  'catalog.location.create': catalogLocationCreatePermission,
  'catalog.location.read': catalogLocationReadPermission,
  'approvals.proposal.read': approvalsProposalReadPermission,
  'approvals.proposal.approve': approvalsProposalApprovePermission,
  'approvals.proposal.apply': approvalsProposalApplyPermission,
  'approvals.audit.verify': approvalsAuditVerifyPermission,
  'approvals.proposal.create': approvalsProposalCreatePermission,
  'scaffolder.task.create': taskCreatePermission,
  'scaffolder.task.read': taskReadPermission,
  'scaffolder.template.management': templateManagementPermission,
  'evidence.packet.create': evidencePacketCreatePermission,
  'signingKeys.key.manage': signingKeyManagePermission,
  'signingKeys.key.administer': signingKeyAdministerPermission,
} as const;
type PermissionName = keyof typeof permissions;

const ALL_TENANT_OWNERS = [
  'group:default/team-birds',
  'group:default/team-harbor',
  'group:default/team-orchard',
];

function tenantMemberTable(
  userRef: string,
  claims: string[],
  tenantRefs: string[],
): Record<PermissionName, object> {
  return {
    'catalog.entity.read': catalogReadDecision(
      claims,
      tenantRefs.map(ref => ref.split('/')[1]),
      ALL_TENANT_OWNERS.filter(owner => !claims.includes(owner)),
      tenantRefs,
    ),
    'catalog.entity.delete': DENY,
    'catalog.location.create': DENY,
    'catalog.location.read': ALLOW,
    'approvals.proposal.read': proposalDecision(tenantRefs),
    'approvals.proposal.approve': DENY,
    'approvals.proposal.apply': DENY,
    'approvals.audit.verify': DENY,
    'approvals.proposal.create': proposalDecision(tenantRefs),
    'scaffolder.task.create': ALLOW,
    'scaffolder.task.read': taskOwnerDecision(userRef),
    'scaffolder.template.management': DENY,
    'evidence.packet.create': DENY,
    'signingKeys.key.manage': DENY,
    'signingKeys.key.administer': DENY,
  };
}

function uniform(decision: object): Record<PermissionName, object> {
  return Object.fromEntries(
    Object.keys(permissions).map(name => [name, decision]),
  ) as Record<PermissionName, object>;
}

const table: Array<
  [string, string | undefined, Record<PermissionName, object>]
> = [
  ['admin (ada.admin)', 'user:default/ada.admin', uniform(ALLOW)],
  [
    'operator (olivia.operator)',
    'user:default/olivia.operator',
    // Operators manage their own key; revoking somebody else's is for admins.
    { ...uniform(ALLOW), 'signingKeys.key.administer': DENY },
  ],
  [
    'governance (greta.governance)',
    'user:default/greta.governance',
    // Decides proposals and manages their own key; never creates or applies.
    {
      ...uniform(ALLOW),
      'catalog.entity.delete': DENY,
      'catalog.location.create': DENY,
      'approvals.proposal.create': DENY,
      'approvals.proposal.apply': DENY,
      'scaffolder.task.read': DENY,
      'scaffolder.template.management': DENY,
      'evidence.packet.create': DENY,
      'signingKeys.key.administer': DENY,
    },
  ],
  [
    'tenant member of team-birds (bea.birds)',
    'user:default/bea.birds',
    tenantMemberTable(
      'user:default/bea.birds',
      ['user:default/bea.birds', 'group:default/team-birds'],
      ['tenant:default/project-birds'],
    ),
  ],
  [
    'user with no groups',
    'user:default/newcomer',
    tenantMemberTable('user:default/newcomer', ['user:default/newcomer'], []),
  ],
  ['no user', undefined, uniform(DENY)],
];

describe('FabricPermissionPolicy decision table', () => {
  const policy = createPolicy();

  describe.each(table)('%s', (_role, userRef, expected) => {
    it.each(Object.keys(permissions) as PermissionName[])('%s', async name => {
      await expect(decide(policy, userRef, permissions[name])).resolves.toEqual(
        expected[name],
      );
    });
  });
});

describe('FabricPermissionPolicy', () => {
  it('gives a member of several tenant teams all of their tenants, sorted', async () => {
    const policy = createPolicy();
    await expect(
      decide(
        policy,
        'user:default/pat.two-teams',
        approvalsProposalReadPermission,
      ),
    ).resolves.toEqual(
      proposalDecision([
        'tenant:default/project-birds',
        'tenant:default/project-harbor',
      ]),
    );
  });

  it('answers the gate permission for the tenant too', async () => {
    const policy = createPolicy();
    const gateRead = createPermission({
      name: 'approvals.gate.read',
      attributes: { action: 'read' },
      resourceType: 'approvals-proposal',
    });
    await expect(
      decide(policy, 'user:default/bea.birds', gateRead),
    ).resolves.toEqual(proposalDecision(['tenant:default/project-birds']));
  });

  it('denies to tenant members what is not in tenantPermissions, even reads', async () => {
    const policy = createPolicy({
      ...repoPolicyConfig,
      tenantPermissions: ['approvals.gate.read'],
    });
    await expect(
      decide(policy, 'user:default/bea.birds', approvalsProposalReadPermission),
    ).resolves.toEqual(DENY);
  });

  it('allows a basic permission listed in tenantPermissions', async () => {
    const driftSummary = createPermission({
      name: 'drift.summary.read',
      attributes: { action: 'read' },
    });
    const withIt = createPolicy({
      ...repoPolicyConfig,
      tenantPermissions: ['drift.summary.read'],
    });
    const withoutIt = createPolicy();
    await expect(
      decide(withIt, 'user:default/bea.birds', driftSummary),
    ).resolves.toEqual(ALLOW);
    await expect(
      decide(withoutIt, 'user:default/bea.birds', driftSummary),
    ).resolves.toEqual(DENY);
  });

  it('fails closed on a listed resource permission whose type is not tenant-scoped', async () => {
    const logger = mockServices.logger.mock();
    const odd = createPermission({
      name: 'evidence.archive.read',
      attributes: { action: 'read' },
      resourceType: 'evidence-archive',
    });
    const policy = createPolicy(
      { ...repoPolicyConfig, tenantPermissions: ['evidence.archive.read'] },
      { logger },
    );
    await expect(
      decide(policy, 'user:default/bea.birds', odd),
    ).resolves.toEqual(DENY);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('evidence-archive is not tenant-scoped'),
    );
  });

  it('scopes evidence and drift resources to the owning plugin', async () => {
    const policy = createPolicy({
      ...repoPolicyConfig,
      tenantPermissions: ['evidence.packet.read', 'drift.report.read'],
    });
    const packetRead = createPermission({
      name: 'evidence.packet.read',
      attributes: { action: 'read' },
      resourceType: 'evidence-packet',
    });
    const reportRead = createPermission({
      name: 'drift.report.read',
      attributes: { action: 'read' },
      resourceType: 'drift-report',
    });
    const tenantRefs = ['tenant:default/project-birds'];
    await expect(
      decide(policy, 'user:default/bea.birds', packetRead),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'evidence',
      conditions: { rule: 'IS_TENANT', params: { tenantRefs } },
    });
    await expect(
      decide(policy, 'user:default/bea.birds', reportRead),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'drift',
      conditions: { rule: 'IS_TENANT', params: { tenantRefs } },
    });
  });

  it('matches configured groups regardless of case', async () => {
    const policy = createPolicy({
      ...repoPolicyConfig,
      operatorGroups: ['Group:Default/Platform-Operators'],
    });
    await expect(
      decide(
        policy,
        'user:default/olivia.operator',
        approvalsProposalApplyPermission,
      ),
    ).resolves.toEqual(ALLOW);
  });

  it('treats a member of a tenant team who is also an operator as an operator', async () => {
    const policy = createPolicy();
    await expect(
      decide(policy, 'user:default/dual', approvalsProposalApprovePermission),
    ).resolves.toEqual(ALLOW);
  });
});
