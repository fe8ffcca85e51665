import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import type { EvidencePacketSummary } from '@internal/plugin-evidence-node';
import { CitationChecker } from './citations';

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';
const birdsPacket: EvidencePacketSummary = {
  id: '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  tenant: BIRDS,
  entityRefs: [BIRDS],
  verdict: 'verified',
  timestamp: '2026-11-20T10:00:00.000Z',
  area: 'tenants',
  title: 'Birds capacity acceptance',
};
const orchardPacket: EvidencePacketSummary = {
  ...birdsPacket,
  id: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  tenant: ORCHARD,
  entityRefs: [ORCHARD, BIRDS],
};
const run = (over: Partial<DriftRunSummary>): DriftRunSummary => ({
  id: '11111111-1111-4111-8111-111111111111',
  source: 'ci/drift-nightly',
  environment: 'samakia-prod',
  tenant: BIRDS,
  entity: BIRDS,
  format: 'json',
  observedAt: '2026-11-20T10:00:00.000Z',
  receivedAt: '2026-11-20T10:00:01.000Z',
  verdict: 'FAIL',
  counts: { pass: 1, warn: 0, fail: 1 },
  providers: ['postgres'],
  submittedBy: 'fabric-ci',
  ...over,
});

/**
 * Evidence and drift as their in-process services answer: `list` and `history` return only
 * what the caller's tenants allow (bea.birds: project-birds; oscar.operator: all), filtered
 * like the stores filter them.
 */
function checker() {
  const packets = [birdsPacket, orchardPacket];
  const tenantsOf = (user: string) =>
    user === 'user:default/oscar.operator' ? undefined : [BIRDS];
  const userOf = (credentials: any) => credentials.principal.userEntityRef;
  const evidence = {
    summary: jest.fn(async (id: string) => packets.find(p => p.id === id)),
    packets: {
      list: jest.fn(async (query: any, { credentials }: any) => {
        const scope = tenantsOf(userOf(credentials));
        const items = packets.filter(
          p =>
            (!scope || scope.includes(p.tenant!)) &&
            (!query.tenant || p.tenant === query.tenant) &&
            p.timestamp >= query.from &&
            p.timestamp < query.to,
        );
        return { items, total: items.length } as any;
      }),
      preview: jest.fn(),
      upload: jest.fn(),
    },
  };
  const runs = [
    run({}),
    run({
      id: '22222222-2222-4222-8222-222222222222',
      environment: 'samakia-dev',
    }),
    run({
      id: '33333333-3333-4333-8333-333333333333',
      tenant: ORCHARD,
      entity: ORCHARD,
    }),
  ];
  const drift = {
    history: jest.fn(async (query: any, { credentials }: any) => {
      const scope = tenantsOf(userOf(credentials));
      const items = runs.filter(
        r =>
          (!scope || scope.includes(r.tenant!)) &&
          r.tenant === query.tenant &&
          r.environment === query.environment,
      );
      return { audience: 'tenant' as const, items };
    }),
  };
  return new CitationChecker({
    evidence,
    drift,
    appBaseUrl: 'http://portal.example',
  });
}

const bea = mockCredentials.user('user:default/bea.birds');
const oscar = mockCredentials.user('user:default/oscar.operator');
const target = { tenant: BIRDS, environment: 'resource:default/samakia-prod' };

describe('CitationChecker', () => {
  it("accepts the tenant's own packets and turns drift runs into links to the run", async () => {
    await expect(
      checker().check(
        {
          ...target,
          packets: [{ packetId: birdsPacket.id, kind: 'verification' }],
          driftRuns: ['11111111-1111-4111-8111-111111111111'],
        },
        bea,
      ),
    ).resolves.toEqual([
      {
        title:
          'Drift run 11111111-1111-4111-8111-111111111111: FAIL from ci/drift-nightly, observed 2026-11-20T10:00:00.000Z',
        url: 'http://portal.example/catalog/default/tenant/project-birds/drift?environment=samakia-prod&run=11111111-1111-4111-8111-111111111111',
      },
    ]);
  });

  it("refuses another tenant's packet the user cannot read, saying no more than for an unknown id", async () => {
    const refused = checker().check(
      { ...target, packets: [{ packetId: orchardPacket.id, kind: 'other' }] },
      bea,
    );
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(
      `packets[0].packetId: evidence packet ${orchardPacket.id} does not exist or you may not read it; pick one of tenant:default/project-birds's packets in the form`,
    );
    await expect(
      checker().check(
        {
          ...target,
          packets: [
            { packetId: birdsPacket.id, kind: 'other' },
            { packetId: '9f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f', kind: 'other' },
          ],
        },
        bea,
      ),
    ).rejects.toThrow(
      'packets[1].packetId: evidence packet 9f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f does not exist or you may not read it',
    );
  });

  it("refuses a readable packet of another tenant (an operator citing orchard's packet for birds), even one linking to the tenant", async () => {
    await expect(
      checker().check(
        { ...target, packets: [{ packetId: orchardPacket.id, kind: 'other' }] },
        oscar,
      ),
    ).rejects.toThrow(
      `packets[0].packetId: evidence packet ${orchardPacket.id} belongs to tenant:default/project-orchard, not to tenant:default/project-birds; cite a packet of tenant:default/project-birds`,
    );
  });

  it('refuses a packet cited twice', async () => {
    await expect(
      checker().check(
        {
          ...target,
          packets: [
            { packetId: birdsPacket.id, kind: 'plan' },
            { packetId: birdsPacket.id.toUpperCase(), kind: 'other' },
          ],
        },
        bea,
      ),
    ).rejects.toThrow('packets[1].packetId: evidence packet');
  });

  it('refuses a drift run of another environment or tenant', async () => {
    for (const id of [
      '22222222-2222-4222-8222-222222222222',
      '33333333-3333-4333-8333-333333333333',
    ]) {
      await expect(
        checker().check({ ...target, driftRuns: [id] }, oscar),
      ).rejects.toThrow(
        `driftRuns[0]: drift run ${id} is not a run of tenant:default/project-birds in samakia-prod from the last 30 days that you may read`,
      );
    }
  });
});
