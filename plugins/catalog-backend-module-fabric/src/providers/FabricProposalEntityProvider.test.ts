import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { APPROVALS_NOT_INSTALLED_MESSAGE } from '@internal/plugin-approvals-node';
import { checkZakonApproval } from '@internal/plugin-fabric-common';
import { GpgHome } from '@internal/fabric-test-utils';
import {
  FabricProposalEntityProvider,
  allowedLocationTypes,
} from './FabricProposalEntityProvider';
import { digestOf } from './governanceApproval';

jest.setTimeout(60_000);

const GRETA = 'user:default/greta.governance';
const GRETA_UID = 'Greta <greta@example.com>';
const gpg = new GpgHome();
let gretaKey: string;
beforeAll(() => {
  gretaKey = gpg.generateKey(GRETA_UID);
});
afterAll(() => gpg.dispose());

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
    id: 'p-publish',
    type: 'rule-publish',
    state: 'applied',
    title: 'Publish cost-ceiling',
    appliedAt: '2026-11-25T10:00:00.000Z',
    change: { name: 'cost-ceiling', publishedSha256: 'b'.repeat(64) },
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
  const applyMutation = jest.fn();
  const list = jest.fn();
  const get = jest.fn();
  const provider = new FabricProposalEntityProvider({
    auth: mockServices.auth({ pluginId: 'catalog' }),
    approvals: { list, get },
    logger: mockServices.logger.mock(),
    config: new ConfigReader({ app: { baseUrl: 'http://portal.test' } }),
    taskRunner: { run: jest.fn() },
    governance: {
      isGovernanceMember: async (ref: string) => ref === GRETA,
      activeKeysOf: async (ref: string) => (ref === GRETA ? [gretaKey] : []),
    },
  });
  let decisions: object[];

  beforeAll(async () => {
    await provider.connect({ applyMutation, refresh: jest.fn() });
  });
  beforeEach(() => {
    applyMutation.mockReset();
    list.mockReset();
    get.mockReset();
    list.mockImplementation(async query =>
      query.state === 'applied' ? proposals : [],
    );
    get.mockImplementation(async (id: string) => {
      if (id !== 'p-rule') throw new Error(`no proposal ${id}`);
      return { proposal: proposals[1], decisions };
    });
    decisions = [
      {
        kind: 'approval',
        actor: 'user:default/oscar',
        decidedAt: '2026-11-21T09:00:00.000Z',
      },
      {
        kind: 'approval',
        actor: GRETA,
        decidedAt: '2026-11-21T15:30:00.000Z',
        signature: gpg.sign(GRETA_UID, digestOf(proposals[1] as any)),
      },
    ];
  });

  it('never writes [CEO_APPROVED] on operator approvals alone', async () => {
    decisions = decisions.slice(0, 1);
    expect(await provider.refresh()).toBe(1);
    const { entities } = applyMutation.mock.calls[0][0];
    expect(entities.map((e: any) => e.entity.kind)).toEqual(['Tenant']);
  });

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
    // The governance member's signed decision is recorded; the requested status, token and
    // digest are not. The applied rule-publish proposal (authoring step) makes it active.
    expect(rule.spec).toMatchObject({
      status: 'active',
      approvalToken: '[CEO_APPROVED]',
      approvalDate: '2026-11-21',
      approvalMethod: expect.stringMatching(
        /^signed approval by user:default\/greta\.governance \(key [0-9A-F]{40}\), proposal p-rule$/,
      ),
      publishedSha256: 'b'.repeat(64),
    });
    expect(checkZakonApproval(rule)).toMatchObject({ approved: true });
  });

  it('keeps an approved rule pending its author until a rule-publish is applied', async () => {
    list.mockImplementation(async query =>
      query.state === 'applied'
        ? proposals.filter(p => p.type !== 'rule-publish')
        : [],
    );
    await provider.refresh();
    const rule = applyMutation.mock.calls[0][0].entities[1].entity;
    expect(rule.spec.status).toBe('approved-pending-author');
    expect(rule.spec.publishedSha256).toBeUndefined();
    expect(checkZakonApproval(rule)).toMatchObject({ approved: true });
  });

  it("reads as the catalog's own service principal, in-process", async () => {
    await provider.refresh();
    const [query, { credentials }] = list.mock.calls[0];
    expect(query).toEqual({ state: 'applied', limit: 500, offset: 0 });
    // A verified proposal's change is still in place: it stays in the catalog.
    expect(list.mock.calls[1][0]).toEqual({
      state: 'verified',
      limit: 500,
      offset: 0,
    });
    expect(credentials.principal).toMatchObject({
      type: 'service',
      subject: 'plugin:catalog',
    });
  });

  it('keeps the last set when the approvals backend does not answer', async () => {
    list.mockRejectedValue(
      new ServiceUnavailableError(APPROVALS_NOT_INSTALLED_MESSAGE),
    );
    await expect(provider.refresh()).rejects.toThrow(
      'The approvals backend is not running',
    );
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
