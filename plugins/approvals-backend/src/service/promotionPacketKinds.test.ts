import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { proposalSubmissionSchema } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { InMemoryDrift, InMemoryPackets } from '../__testUtils__/fakeEvidence';
import { InMemoryKeyRegistry } from '../__testUtils__/keyRegistry';
import {
  approvedByTwoOperators,
  BIRDS,
  birdsPromotion,
  NOW,
  op1,
  requester,
} from '../__testUtils__/promotions';
import { applyMigrations } from '../database/migrations';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';
import { OpenPgpSignatureVerifier } from './signatures';

// Seed 004: a Run/Operate promotion needs an EvalReport, a DatasetManifest and compatibility
// metadata. An environment's `promotionPacketKinds` makes the gate refuse a promotion until,
// for each kind, a cited packet resolved ok and declares that kind itself (its signed
// packet.json). On SQLite and PostgreSQL.
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const CATS = 'tenant:default/project-cats';
const KINDS = ['eval-report', 'dataset-manifest', 'compatibility'] as const;

const id = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const EVAL = id(1);
const DATASET = id(2);
const COMPAT = id(3);
const APPLY_RUN = id(4);
const COMPAT_UNVERIFIED = id(5);
const COMPAT_STALE = id(6);
const CATS_EVAL = id(7);
const DATASET_AS_EVAL = id(8);
const UNDECLARED = id(9);

type Cited = [packetId: string, kind: string];

const promotion = (environment: string, cited: Cited[]) =>
  birdsPromotion(
    environment,
    cited.map(([packetId, kind]) => ({ packetId, kind })),
  );

const all: Cited[] = [
  [EVAL, 'eval-report'],
  [DATASET, 'dataset-manifest'],
  [COMPAT, 'compatibility'],
];

describe.each(databases.eachSupportedId())(
  'required packet kinds of a promotion on %p',
  databaseId => {
    let knex: Knex;
    let service: ProposalService;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
    });

    beforeEach(() => {
      const packets = new InMemoryPackets();
      const fresh = '2030-01-06T10:00:00.000Z';
      packets.add({ id: EVAL, tenant: BIRDS, kind: 'eval-report' });
      packets.add({ id: DATASET, tenant: BIRDS, kind: 'dataset-manifest' });
      packets.add({ id: COMPAT, tenant: BIRDS, kind: 'compatibility' });
      packets.add({ id: APPLY_RUN, tenant: BIRDS, timestamp: fresh });
      packets.add({
        id: COMPAT_UNVERIFIED,
        tenant: BIRDS,
        kind: 'compatibility',
        verdict: 'unsigned',
      });
      packets.add({
        id: COMPAT_STALE,
        tenant: BIRDS,
        kind: 'compatibility',
        timestamp: '2029-12-20T10:00:00.000Z',
      });
      packets.add({ id: CATS_EVAL, tenant: CATS, kind: 'eval-report' });
      packets.add({
        id: DATASET_AS_EVAL,
        tenant: BIRDS,
        kind: 'dataset-manifest',
      });
      packets.add({ id: UNDECLARED, tenant: BIRDS });
      const drift = new InMemoryDrift();
      for (const env of ['runop-prod', 'runop-staging']) {
        drift.set(BIRDS, `resource:default/${env}`, 'PASS');
      }
      service = new ProposalService({
        db: knex,
        clock: { now: () => NOW },
        signatures: new OpenPgpSignatureVerifier(new InMemoryKeyRegistry()),
        packets,
        drift,
        rules: createApprovalsRules({
          evidenceMaxAgeDays: 7,
          environments: {
            'runop-prod': {
              production: false,
              requiredApprovals: 2,
              requireSignature: false,
              promotionPacketKinds: [...KINDS],
            },
            'runop-staging': { requiredApprovals: 2 },
          },
        }),
      });
    });

    const approved = (environment: string, cited: Cited[]) =>
      approvedByTwoOperators(service, promotion(environment, cited));

    const gateOf = (proposalId: string) =>
      service.gatekeeper.evaluate(proposalId, NOW);
    const apply = (proposalId: string) =>
      service.apply(op1, proposalId, {
        reference: 'mr!9',
        evidence: APPLY_RUN,
      });
    const kindReasons = async (proposalId: string) =>
      (await gateOf(proposalId)).reasons.filter(
        r => r.code === 'evidence-kind-missing',
      );

    it('refuses a promotion missing one kind, naming it and the fix, at the gate and at apply', async () => {
      const p = await approved('runop-prod', all.slice(0, 2));
      const gate = await gateOf(p.id);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toEqual([
        {
          code: 'evidence-kind-missing',
          message:
            'a promotion into runop-prod needs a compatibility metadata packet: cite a verified compatibility metadata packet of tenant:default/project-birds whose packet.json declares "kind": "compatibility"',
        },
      ]);
      await expect(apply(p.id)).rejects.toThrow(
        /Apply refused: a promotion into runop-prod needs a compatibility metadata packet/,
      );
      expect((await service.proposals.get(p.id)).state).toBe('approved');
    });

    it('is not blocked by the rule once all three kinds resolve ok; the audit records each declared kind', async () => {
      const p = await approved('runop-prod', all);
      const gate = await gateOf(p.id);
      expect(gate.reasons).toEqual([]);
      expect(gate.allowed).toBe(true);
      expect((await apply(p.id)).state).toBe('applied');
      const record = (await service.audit.list({ proposalId: p.id })).find(
        r => r.action === 'applied',
      )!;
      expect(
        (record.details as any).packets.map((r: any) => [
          r.kind,
          r.declaredKind,
          r.outcome,
        ]),
      ).toEqual(KINDS.map(k => [k, k, 'ok']));
    });

    it.each([
      ['unverified', COMPAT_UNVERIFIED, /is unsigned, not verified/],
      ['stale', COMPAT_STALE, /more than 7 days ago/],
    ])(
      'a compatibility packet that is %s leaves the kind missing',
      async (outcome, packetId, message) => {
        const p = await approved('runop-prod', [
          ...all.slice(0, 2),
          [packetId, 'compatibility'],
        ]);
        const gate = await gateOf(p.id);
        expect(gate.allowed).toBe(false);
        expect(gate.packets?.map(r => r.outcome)).toEqual([
          'ok',
          'ok',
          outcome,
        ]);
        expect(gate.reasons.map(r => r.code)).toEqual([
          'evidence-unresolved',
          'evidence-kind-missing',
        ]);
        expect(gate.reasons[0].message).toMatch(message);
        expect(gate.reasons[1].message).toContain(
          'needs a compatibility metadata packet',
        );
      },
    );

    it("refuses another tenant's EvalReport: foreign, and the kind stays missing", async () => {
      const p = await approved('runop-prod', [
        [CATS_EVAL, 'eval-report'],
        ...all.slice(1),
      ]);
      const gate = await gateOf(p.id);
      expect(gate.allowed).toBe(false);
      expect(gate.packets?.[0]).toMatchObject({ outcome: 'foreign' });
      // What the other tenant's packet is stays undisclosed.
      expect(gate.packets?.[0]).not.toHaveProperty('declaredKind');
      expect(gate.reasons).toEqual([
        {
          code: 'evidence-unresolved',
          message: expect.stringContaining(
            'belongs to tenant:default/project-cats',
          ),
        },
        expect.objectContaining({
          code: 'evidence-kind-missing',
          message: expect.stringContaining('needs an EvalReport packet'),
        }),
      ]);
      await expect(apply(p.id)).rejects.toThrow(/project-cats/);
    });

    it('refuses a packet cited as a kind it does not declare (kind-mismatch)', async () => {
      const p = await approved('runop-prod', [
        [DATASET_AS_EVAL, 'eval-report'],
        ...all.slice(1),
      ]);
      const gate = await gateOf(p.id);
      expect(gate.packets?.[0]).toMatchObject({
        outcome: 'kind-mismatch',
        kind: 'eval-report',
        declaredKind: 'dataset-manifest',
      });
      expect(gate.reasons[0]).toEqual({
        code: 'evidence-unresolved',
        message: `evidence packet ${DATASET_AS_EVAL} is cited as an EvalReport packet but its packet.json declares a DatasetManifest packet ("kind": "dataset-manifest"); cite it with kind dataset-manifest or cite an EvalReport packet`,
      });
      expect(gate.reasons[1].code).toBe('evidence-kind-missing');
      expect(gate.allowed).toBe(false);
    });

    it("the proposer's label alone does not satisfy a kind: a packet that declares none", async () => {
      const p = await approved('runop-prod', [
        [UNDECLARED, 'eval-report'],
        ...all.slice(1),
      ]);
      const gate = await gateOf(p.id);
      expect(gate.packets?.[0]).toMatchObject({ outcome: 'ok' });
      expect(await kindReasons(p.id)).toEqual([
        {
          code: 'evidence-kind-missing',
          message: expect.stringContaining(
            `needs an EvalReport packet; ${UNDECLARED} is cited as an EvalReport packet but does not declare it`,
          ),
        },
      ]);
      expect(gate.allowed).toBe(false);
    });

    it('leaves an environment without the setting unaffected', async () => {
      const p = await approved('runop-staging', [[UNDECLARED, 'eval-report']]);
      const gate = await gateOf(p.id);
      expect(gate.reasons).toEqual([]);
      expect(gate.allowed).toBe(true);
    });

    it('applies to promotions only: another proposal type into the environment is not asked for packets', async () => {
      const p = await service.submit(
        requester,
        proposalSubmissionSchema.parse({
          tenant: 'project-birds',
          type: 'other',
          environment: 'runop-prod',
          title: 'Rotate the birds-api database password',
          change: { description: 'rotation' },
        }),
      );
      expect(await kindReasons(p.id)).toEqual([]);
    });
  },
);
