import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { checkZakonApproval } from '@internal/plugin-fabric-common';
import {
  FabricProposalEntityProvider,
  allowedLocationTypes,
} from './FabricProposalEntityProvider';

const quotas = {
  cpuCores: 2,
  memoryGiB: 8,
  storageGiB: 50,
  maxDatabases: 1,
  maxConnections: 50,
};

const proposals = [
  {
    id: 'p-tenant',
    type: 'new-tenant',
    state: 'applied',
    title: 'New tenant project-wren',
    appliedAt: '2026-11-20T10:00:00.000Z',
    change: {
      name: 'project-wren',
      spec: {
        owner: 'team-birds',
        environments: ['samakia-dev'],
        consumers: [],
        quotas,
      },
    },
  },
  {
    id: 'p-rule',
    type: 'new-rule',
    state: 'applied',
    title: 'New ZAKON rule cost-ceiling',
    appliedAt: '2026-11-22T10:00:00.000Z',
    change: {
      name: 'cost-ceiling',
      spec: {
        id: 'cost-ceiling',
        owner: 'platform-operators',
        ruleFile: 'rules/zakon-cost-ceiling.md',
        trackingTask: 'MC-100500',
        // A requester cannot make a rule active or write its own approval.
        status: 'active',
        approvalToken: 'self-approved',
        publishedSha256: 'a'.repeat(64),
        inScope: ['**/COST-PLAN.md'],
        enforcement: ['registry-gate'],
      },
    },
  },
  {
    id: 'p-capacity',
    type: 'capacity-change',
    state: 'applied',
    change: { quotas },
  },
  {
    id: 'p-broken',
    type: 'new-tenant',
    state: 'applied',
    title: 'x',
    change: { name: 'Bad Name' },
  },
];

describe('FabricProposalEntityProvider', () => {
  let fetchSpy: jest.SpyInstance;
  const applyMutation = jest.fn();
  const provider = new FabricProposalEntityProvider({
    auth: mockServices.auth({ pluginId: 'catalog' }),
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => 'http://backend.test/api/approvals',
    }),
    logger: mockServices.logger.mock(),
    config: new ConfigReader({ app: { baseUrl: 'http://portal.test' } }),
    taskRunner: { run: jest.fn() },
  });

  beforeAll(async () => {
    await provider.connect({ applyMutation, refresh: jest.fn() });
  });
  beforeEach(() => {
    applyMutation.mockReset();
    fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(async input => {
      const url = String(input);
      if (url.includes('/proposals?state=applied')) {
        return new Response(JSON.stringify({ items: proposals }));
      }
      if (url.endsWith('/proposals/p-rule')) {
        return new Response(
          JSON.stringify({
            proposal: proposals[1],
            decisions: [
              {
                kind: 'approval',
                actor: 'user:default/oscar',
                decidedAt: '2026-11-21T09:00:00.000Z',
              },
              {
                kind: 'approval',
                actor: 'user:default/ada',
                decidedAt: '2026-11-21T15:30:00.000Z',
              },
            ],
          }),
        );
      }
      return new Response('not found', { status: 404 });
    });
  });
  afterEach(() => fetchSpy.mockRestore());

  it('activates applied new-tenant and new-rule proposals from their approved content', async () => {
    expect(await provider.refresh()).toBe(2);
    const { type, entities } = applyMutation.mock.calls[0][0];
    expect(type).toBe('full');
    const [tenant, rule] = entities.map((e: any) => e.entity);
    expect(entities.map((e: any) => e.locationKey)).toEqual([
      'fabric-proposal:p-tenant',
      'fabric-proposal:p-rule',
    ]);
    expect(tenant).toMatchObject({
      kind: 'Tenant',
      metadata: {
        name: 'project-wren',
        annotations: {
          'fabric.samakia.io/proposal-id': 'p-tenant',
          'backstage.io/managed-by-location':
            'url:http://portal.test/approvals/proposals/p-tenant',
        },
      },
      spec: proposals[0].change!.spec,
    });
    // The gate's approval is recorded; the requested status, token and digest are not.
    expect(rule.spec).toMatchObject({
      status: 'approved-pending-author',
      approvalToken: '[CEO_APPROVED]',
      approvalDate: '2026-11-21',
      approvalMethod: 'Fabric Portal approval gate, proposal p-rule',
    });
    expect(rule.spec.publishedSha256).toBeUndefined();
    expect(checkZakonApproval(rule)).toMatchObject({ approved: true });
  });

  it('keeps the last set when the approvals backend does not answer', async () => {
    fetchSpy.mockResolvedValue(new Response('down', { status: 503 }));
    await expect(provider.refresh()).rejects.toThrow('answered 503');
    expect(applyMutation).not.toHaveBeenCalled();
  });

  it('allows file locations through the API only with the local publisher', () => {
    expect(
      allowedLocationTypes(
        new ConfigReader({
          fabric: { scaffolder: { localPublish: { dir: '/tmp/x' } } },
        }),
      ),
    ).toEqual(['url', 'file']);
    expect(allowedLocationTypes(new ConfigReader({}))).toBeUndefined();
  });
});
