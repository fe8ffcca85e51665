import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { ApplyRequest, Proposal } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { GpgHome } from '@internal/fabric-test-utils';
import { InMemoryDrift, InMemoryPackets } from '../__testUtils__/fakeEvidence';
import { InMemoryKeyRegistry } from '../__testUtils__/keyRegistry';
import {
  approvedByTwoOperators,
  BIRDS,
  birdsPromotion,
  NOW,
  op1,
  op2,
  requester,
} from '../__testUtils__/promotions';
import { applyMigrations } from '../database/migrations';
import { Actor } from './actors';
import { ProposalNotifier } from './notifier';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';
import { OpenPgpSignatureVerifier } from './signatures';

// Promotions with evidence packet references, and the lifecycle after apply, on SQLite and
// PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; no Docker here).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const MINUTE = 60_000;
const ci: Actor = { userRef: 'service:external:ci', roles: ['ci'] };
// A service principal that a careless policy also made an operator: still CI.
const ciOperator: Actor = {
  userRef: 'service:external:ci',
  roles: ['ci', 'operator'],
};

const PROD = 'resource:default/runop-prod';

const EVAL = '00000000-0000-4000-8000-0000000000e1';
const DATASET = '00000000-0000-4000-8000-0000000000d1';
const APPLY_RUN = '00000000-0000-4000-8000-0000000000a1';
const VERIFY_RUN = '00000000-0000-4000-8000-0000000000b1';
const UNVERIFIED = '00000000-0000-4000-8000-0000000000f1';
const FOREIGN = '00000000-0000-4000-8000-0000000000f2';
const STALE = '00000000-0000-4000-8000-0000000000f3';
const MISSING = '00000000-0000-4000-8000-0000000000f4';
const LINKED = '00000000-0000-4000-8000-0000000000f5';

// Real OpenPGP through gpg for the signed production promotion.
const gpg = new GpgHome();
const keys = new InMemoryKeyRegistry();
beforeAll(() => {
  keys.register(op1.userRef, gpg.generateKey('olga@example.com'));
  keys.register(op2.userRef, gpg.generateKey('oscar@example.com'));
});
afterAll(() => gpg.dispose());

class RecordingNotifier implements ProposalNotifier {
  readonly events: string[] = [];
  async awaitingReview() {}
  async decided(p: Proposal, summary: string) {
    this.events.push(`decided ${p.state}: ${summary}`);
  }
  async verifyOverdue(p: Proposal, summary: string) {
    this.events.push(`verify-overdue ${p.id}: ${summary}`);
  }
}

/** A promotion into runop-prod citing `packetIds`: the first as the eval report, the rest as datasets. */
function promotion(
  packetIds: string[],
  overrides: Record<string, unknown> = {},
) {
  return birdsPromotion(
    'runop-prod',
    packetIds.map((packetId, i) => ({
      packetId,
      kind: i === 0 ? 'eval-report' : 'dataset-manifest',
    })),
    {
      evidence: [{ title: 'CI job', url: 'https://ci.example.com/job/7' }],
      ...overrides,
    },
  );
}

describe.each(databases.eachSupportedId())(
  'promotions and verify/rollback on %p',
  databaseId => {
    let knex: Knex;
    let now: Date;
    let service: ProposalService;
    let packets: InMemoryPackets;
    let drift: InMemoryDrift;
    let notifier: RecordingNotifier;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
    });

    beforeEach(() => {
      now = NOW;
      packets = new InMemoryPackets();
      for (const id of [EVAL, DATASET, APPLY_RUN, VERIFY_RUN]) {
        packets.add({
          id,
          tenant: BIRDS,
          timestamp: '2030-01-06T10:00:00.000Z',
        });
      }
      packets.add({ id: UNVERIFIED, tenant: BIRDS, verdict: 'unsigned' });
      packets.add({ id: FOREIGN, tenant: 'tenant:default/project-cats' });
      packets.add({
        id: STALE,
        tenant: BIRDS,
        timestamp: '2029-12-20T10:00:00.000Z',
      });
      // No tenant of its own, but it links to the tenant: counts.
      packets.add({ id: LINKED, entityRefs: [BIRDS] });
      drift = new InMemoryDrift();
      drift.set(BIRDS, PROD, 'PASS');
      notifier = new RecordingNotifier();
      service = new ProposalService({
        db: knex,
        clock: { now: () => now },
        signatures: new OpenPgpSignatureVerifier(keys),
        packets,
        drift,
        notifier,
        rules: createApprovalsRules({
          verifyWithinMs: 30 * MINUTE,
          evidenceMaxAgeDays: 7,
          environments: {
            // Unsigned approvals keep most cases short: this rung is declared non-production.
            'runop-prod': {
              production: false,
              requiredApprovals: 2,
              requireSignature: false,
            },
            // Production: signed approvals and an allow window (here: every minute, all day).
            'signed-prod': {
              requiredApprovals: 2,
              requireSignature: true,
              changeWindows: [
                {
                  name: 'any-time',
                  kind: 'allow',
                  cron: '* * * * *',
                  durationMs: MINUTE,
                  timeZone: 'UTC',
                },
              ],
            },
          },
        }),
      });
    });

    const approved = (packetIds: string[]) =>
      approvedByTwoOperators(service, promotion(packetIds));

    const apply = (id: string, actor: Actor = op1) =>
      service.apply(actor, id, { reference: 'mr!12', evidence: APPLY_RUN });

    it('promotes to a signed rung only with two real OpenPGP signatures, then applies', async () => {
      drift.set(BIRDS, 'resource:default/signed-prod', 'PASS');
      const p = await service.submit(
        requester,
        promotion([EVAL, DATASET], {
          environment: 'signed-prod',
          change: {
            artefact: { kind: 'release', name: 'birds', version: '2026.12' },
            from: 'runop-dev',
            to: 'signed-prod',
          },
        }),
      );
      expect(p.state).toBe('validated');
      await service.claim(op1, p.id);
      await expect(service.approve(op1, p.id, {})).rejects.toThrow(
        /signature/i,
      );
      await service.approve(op1, p.id, {
        signature: gpg.sign('olga@example.com', p.digest),
      });
      await service.claim(op2, p.id);
      // Olga's signature replayed by Oscar counts for nobody.
      await expect(
        service.approve(op2, p.id, {
          signature: gpg.sign('olga@example.com', p.digest),
        }),
      ).rejects.toThrow();
      await service.approve(op2, p.id, {
        signature: gpg.sign('oscar@example.com', p.digest),
      });
      expect((await service.gatekeeper.evaluate(p.id, now)).allowed).toBe(true);
      expect((await apply(p.id)).state).toBe('applied');
    });

    it('rejects a promotion without packets or aimed at another rung', async () => {
      const none = await service.submit(requester, promotion([]));
      expect(none.state).toBe('rejected');
      expect(none.validation?.problems).toEqual([
        expect.objectContaining({ path: 'packets' }),
      ]);
      const elsewhere = await service.submit(
        requester,
        promotion([EVAL], {
          change: {
            artefact: { kind: 'template', name: 'svc', version: '2' },
            from: 'runop-dev',
            to: 'runop-staging',
          },
        }),
      );
      expect(elsewhere.state).toBe('rejected');
      expect(elsewhere.validation?.problems).toEqual([
        expect.objectContaining({ path: 'change.to' }),
      ]);
    });

    it.each([
      ['missing', MISSING, /does not exist/],
      ['unverified', UNVERIFIED, /is unsigned, not verified/],
      ['foreign', FOREIGN, /belongs to tenant:default\/project-cats/],
      ['stale', STALE, /more than 7 days ago/],
    ])('refuses a promotion with a %s packet', async (outcome, id, message) => {
      const p = await approved([EVAL, id]);
      const gate = await service.gatekeeper.evaluate(p.id, now);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toEqual([
        {
          code: 'evidence-unresolved',
          message: expect.stringMatching(message),
        },
      ]);
      expect(gate.packets?.map(r => r.outcome)).toEqual(['ok', outcome]);
      await expect(apply(p.id)).rejects.toThrow(message);
      expect((await service.proposals.get(p.id)).state).toBe('approved');
    });

    it('counts a packet that links to the tenant without belonging to one', async () => {
      const p = await approved([LINKED]);
      expect((await service.gatekeeper.evaluate(p.id, now)).allowed).toBe(true);
    });

    it('refuses a promotion while the target has FAIL drift, and allows it after', async () => {
      const p = await approved([EVAL, DATASET]);
      drift.set(BIRDS, PROD, 'FAIL');
      await expect(apply(p.id)).rejects.toThrow(
        /runop-prod has FAIL drift for tenant:default\/project-birds/,
      );
      drift.set(BIRDS, PROD, 'WARN');
      expect((await apply(p.id)).state).toBe('applied');
    });

    it('refuses the apply packet when it does not count, or when it is left out', async () => {
      const p = await approved([EVAL]);
      await expect(
        service.apply(op1, p.id, { reference: 'mr!12' } as ApplyRequest),
      ).rejects.toThrow(/evidence: is missing/);
      await expect(
        service.apply(op1, p.id, { reference: 'mr!12', evidence: FOREIGN }),
      ).rejects.toThrow(/Apply refused: evidence packet .* belongs to/);
    });

    it('never lets CI apply, verify or roll back', async () => {
      const p = await approved([EVAL, DATASET]);
      for (const actor of [ci, ciOperator]) {
        await expect(apply(p.id, actor)).rejects.toThrow(
          /CI never runs the apply step/,
        );
      }
      await expect(apply(p.id, requester)).rejects.toThrow(
        /Only operators run the apply step/,
      );
      await apply(p.id, op1);
      for (const actor of [ci, ciOperator]) {
        await expect(
          service.verify(actor, p.id, { evidence: VERIFY_RUN }),
        ).rejects.toThrow(/CI never runs the verify step/);
        await expect(
          service.rollback(actor, p.id, { reason: 'x', evidence: VERIFY_RUN }),
        ).rejects.toBeInstanceOf(NotAllowedError);
      }
      expect((await service.proposals.get(p.id)).state).toBe('applied');
    });

    it('applies with the operator and packet, verifies, and audits how each reference resolved', async () => {
      const p = await approved([EVAL, DATASET]);
      const applied = await apply(p.id, op2);
      expect(applied).toMatchObject({
        state: 'applied',
        appliedBy: op2.userRef,
        appliedPacket: APPLY_RUN,
        appliedReference: 'mr!12',
      });
      await expect(apply(p.id)).rejects.toThrow(/is applied/);
      await expect(
        service.verify(op1, p.id, { evidence: UNVERIFIED }),
      ).rejects.toThrow(/does not count: .* is unsigned/);
      now = new Date(NOW.getTime() + 10 * MINUTE);
      const verified = await service.verify(op1, p.id, {
        evidence: VERIFY_RUN,
        comment: 'smoke tests green',
      });
      expect(verified).toMatchObject({
        state: 'verified',
        verifiedBy: op1.userRef,
        verifiedPacket: VERIFY_RUN,
        verifiedAt: '2030-01-07T10:10:00.000Z',
      });
      await expect(
        service.rollback(op1, p.id, { reason: 'late', evidence: VERIFY_RUN }),
      ).rejects.toThrow(/is verified; it cannot become rolled-back/);

      const audit = await service.audit.list({ proposalId: p.id });
      const appliedRecord = audit.find(r => r.action === 'applied')!;
      expect(appliedRecord.actor).toBe(op2.userRef);
      expect(appliedRecord.details.evidence).toMatchObject({
        packetId: APPLY_RUN,
        outcome: 'ok',
      });
      expect(appliedRecord.details.packets).toEqual([
        expect.objectContaining({
          packetId: EVAL,
          kind: 'eval-report',
          outcome: 'ok',
          verdict: 'verified',
          tenant: BIRDS,
        }),
        expect.objectContaining({
          packetId: DATASET,
          kind: 'dataset-manifest',
          outcome: 'ok',
        }),
      ]);
      expect(audit.find(r => r.action === 'verified')).toMatchObject({
        actor: op1.userRef,
        reason: 'smoke tests green',
        details: { from: 'applied', to: 'verified' },
      });
      expect((await service.audit.verifyChain()).ok).toBe(true);
      // The page still shows each packet's verdict after the change went out.
      const view = await service.view(p.id);
      expect(view.gate.packets?.map(r => [r.packetId, r.verdict])).toEqual([
        [EVAL, 'verified'],
        [DATASET, 'verified'],
      ]);
    });

    it('records a rollback with its reason and packet', async () => {
      const p = await approved([EVAL]);
      await apply(p.id);
      await expect(
        service.rollback(op2, p.id, { reason: 'errors', evidence: MISSING }),
      ).rejects.toThrow(/does not exist/);
      const rolled = await service.rollback(op2, p.id, {
        reason: 'error rate doubled after the rollout',
        evidence: VERIFY_RUN,
      });
      expect(rolled).toMatchObject({
        state: 'rolled-back',
        rolledBackBy: op2.userRef,
        rollbackReason: 'error rate doubled after the rollout',
        rollbackPacket: VERIFY_RUN,
      });
      await expect(
        service.verify(op1, p.id, { evidence: VERIFY_RUN }),
      ).rejects.toThrow(/is rolled-back/);
      const record = (await service.audit.list({ proposalId: p.id })).find(
        r => r.action === 'rolled-back',
      );
      expect(record).toMatchObject({
        actor: op2.userRef,
        reason: 'error rate doubled after the rollout',
        details: {
          from: 'applied',
          to: 'rolled-back',
          evidence: expect.objectContaining({ packetId: VERIFY_RUN }),
        },
      });
      expect(
        (await service.gatekeeper.evaluate(p.id, now)).reasons.map(r => r.code),
      ).toEqual(['already-applied']);
    });

    it('flags and notifies a verify that does not arrive in time, once', async () => {
      const late = await approved([EVAL]);
      await apply(late.id);
      now = new Date(NOW.getTime() + 20 * MINUTE);
      const onTime = await approved([DATASET]);
      await apply(onTime.id);

      // Earlier tests' applied proposals share the database: look at these two only.
      const ours = (ids: string[]) =>
        ids.filter(id => id === late.id || id === onTime.id);
      now = new Date(NOW.getTime() + 29 * MINUTE);
      expect(ours(await service.flagOverdueVerifies())).toEqual([]);
      now = new Date(NOW.getTime() + 30 * MINUTE);
      expect(ours(await service.flagOverdueVerifies())).toEqual([late.id]);
      expect(ours(await service.flagOverdueVerifies())).toEqual([]);

      const flagged = await service.proposals.get(late.id);
      expect(flagged).toMatchObject({
        state: 'applied',
        verifyOverdueAt: '2030-01-07T10:30:00.000Z',
      });
      expect(
        (await service.proposals.get(onTime.id)).verifyOverdueAt,
      ).toBeUndefined();
      expect(
        notifier.events.filter(e => e.startsWith(`verify-overdue ${late.id}`)),
      ).toEqual([
        `verify-overdue ${late.id}: no verify or rollback since the apply at 2030-01-07T10:00:00.000Z (due by 2030-01-07T10:30:00.000Z)`,
      ]);
      expect(
        (await service.audit.list({ proposalId: late.id })).map(r => r.action),
      ).toContain('verify-overdue');
      // A late verify still counts.
      expect(
        (await service.verify(op1, late.id, { evidence: VERIFY_RUN })).state,
      ).toBe('verified');
    });
  },
);
