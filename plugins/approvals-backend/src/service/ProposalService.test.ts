import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ProposalSubmission,
  proposalSubmissionSchema,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { GpgHome } from '@internal/fabric-test-utils';
import { applyMigrations } from '../database/migrations';
import { Actor } from './actors';
import { GateService } from './GateService';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';
import { InMemoryKeyRegistry } from '../__testUtils__/keyRegistry';
import { OpenPgpSignatureVerifier } from './signatures';
import { InMemoryPackets } from '../__testUtils__/fakeEvidence';

/** The evidence packet of the apply runs below: verified, project-birds', recent. */
const APPLY_PACKET = '11111111-1111-4111-8111-111111111111';
const packets = new InMemoryPackets();
packets.add({ id: APPLY_PACKET, tenant: 'tenant:default/project-birds' });

// Runs on SQLite and PostgreSQL. PostgreSQL comes from
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (there is no Docker here).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const HOUR = 3_600_000;
const requester: Actor = { userRef: 'user:default/tina', roles: ['tenant'] };
const otherTenant: Actor = { userRef: 'user:default/tom', roles: ['tenant'] };
const op1: Actor = { userRef: 'user:default/olga', roles: ['operator'] };
const op2: Actor = { userRef: 'user:default/oscar', roles: ['operator'] };
const op3: Actor = { userRef: 'user:default/otto', roles: ['operator'] };
const ci: Actor = { userRef: 'service:external:ci', roles: ['ci'] };

// Monday 2030-01-07 10:00 UTC: inside the weekday 09:00-17:00 allow window.
const MONDAY_10 = new Date('2030-01-07T10:00:00.000Z');
// Wednesday 2030-01-09 12:30 UTC: inside the Wednesday noon deny window.
const WEDNESDAY_1230 = new Date('2030-01-09T12:30:00.000Z');
// Saturday 2030-01-12 10:00 UTC: outside every allow window.
const SATURDAY_10 = new Date('2030-01-12T10:00:00.000Z');

const gpg = new GpgHome();
const keys = new InMemoryKeyRegistry();

beforeAll(() => {
  keys.register(op1.userRef, gpg.generateKey('olga@example.com'));
  keys.register(op2.userRef, gpg.generateKey('oscar@example.com'));
  // otto has a key pair, but his key is not registered to anybody.
  gpg.generateKey('otto@example.com');
});

afterAll(() => gpg.dispose());

function submission(
  overrides: Partial<Record<keyof ProposalSubmission, unknown>> = {},
): ProposalSubmission {
  return proposalSubmissionSchema.parse({
    tenant: 'project-birds',
    type: 'capacity-change',
    environment: 'samakia-prod',
    title: 'More CPU for birds',
    change: {
      quotas: {
        cpuCores: 16,
        memoryGiB: 64,
        storageGiB: 500,
        maxDatabases: 4,
        maxConnections: 200,
      },
    },
    evidence: [
      { title: 'capacity report', url: 'https://evidence.example.com/1' },
    ],
    ...overrides,
  });
}

const signFor = (email: string, digest: string) => gpg.sign(email, digest);

describe.each(databases.eachSupportedId())(
  'ProposalService on %p',
  databaseId => {
    let knex: Knex;
    let now: Date;
    let service: ProposalService;
    let gate: GateService;
    let idCounter = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
    });

    beforeEach(async () => {
      now = MONDAY_10;
      service = new ProposalService({
        db: knex,
        clock: { now: () => now },
        ids: () => {
          idCounter += 1;
          return `00000000-0000-4000-8000-${String(idCounter).padStart(
            12,
            '0',
          )}`;
        },
        signatures: new OpenPgpSignatureVerifier(keys),
        packets,
        rules: createApprovalsRules({
          claimTtlMs: HOUR / 2,
          quotaMaxima: { cpuCores: 32, maxConnections: 1000 },
          environments: {
            'samakia-prod': {
              approvalTtlMs: HOUR,
              changeWindows: [
                {
                  name: 'weekdays',
                  kind: 'allow',
                  cron: '0 9 * * 1-5',
                  durationMs: 8 * HOUR,
                  timeZone: 'UTC',
                },
                {
                  name: 'wednesday-freeze',
                  kind: 'deny',
                  cron: '0 12 * * 3',
                  durationMs: HOUR,
                  timeZone: 'UTC',
                },
              ],
            },
          },
        }),
      });
      gate = new GateService(service);
    });

    async function approveProd(id: string, digest: string) {
      await service.claim(op1, id);
      await service.approve(op1, id, {
        signature: signFor('olga@example.com', digest),
      });
      return service.approve(op2, id, {
        signature: signFor('oscar@example.com', digest),
      });
    }

    async function auditActions(proposalId: string) {
      return (await service.audit.list({ proposalId })).map(r => r.action);
    }

    it('walks the whole lifecycle and audits every transition', async () => {
      const submitted = await service.submit(requester, submission());
      expect(submitted.state).toBe('validated');
      expect(submitted.tenant).toBe('tenant:default/project-birds');
      expect(submitted.environment).toBe('resource:default/samakia-prod');
      expect(submitted.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(submitted.validation).toMatchObject({ ok: true, problems: [] });

      await service.claim(op1, submitted.id);
      expect((await service.proposals.get(submitted.id)).state).toBe(
        'in-review',
      );
      const first = await service.approve(op1, submitted.id, {
        signature: signFor('olga@example.com', submitted.digest),
      });
      expect(first.state).toBe('in-review');
      const second = await service.approve(op2, submitted.id, {
        signature: signFor('oscar@example.com', submitted.digest),
      });
      expect(second.state).toBe('approved');

      const applied = await service.apply(op1, submitted.id, {
        reference: 'CHG-1001',
        evidence: APPLY_PACKET,
      });
      expect(applied).toMatchObject({
        state: 'applied',
        appliedReference: 'CHG-1001',
        appliedAt: MONDAY_10.toISOString(),
      });
      expect(await auditActions(submitted.id)).toEqual([
        'submitted',
        'validated',
        'claimed',
        'approval',
        'approval',
        'applied',
      ]);
      // Applied is terminal.
      await expect(
        service.withdraw(requester, submitted.id, {}),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        service.apply(op1, submitted.id, {
          reference: 'again',
          evidence: APPLY_PACKET,
        }),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it('records validation failures with reasons and rejects the proposal', async () => {
      const tooBig = await service.submit(
        requester,
        submission({
          change: {
            quotas: {
              cpuCores: 64,
              memoryGiB: 64,
              storageGiB: 500,
              maxDatabases: 4,
              maxConnections: 200,
            },
          },
        }),
      );
      expect(tooBig.state).toBe('rejected');
      expect(tooBig.validation?.problems).toEqual([
        expect.objectContaining({
          path: 'change.quotas.cpuCores',
          message: expect.stringContaining('above the configured maximum 32'),
        }),
      ]);

      const malformed = await service.submit(
        requester,
        submission({
          type: 'binding-change',
          change: { action: 'add', binding: { workload: 'api' } },
        }),
      );
      expect(malformed.state).toBe('rejected');
      expect(malformed.validation?.problems.map(p => p.path)).toEqual(
        expect.arrayContaining([
          'change.binding.consumer',
          'change.binding.endpoint',
        ]),
      );
      expect(await auditActions(malformed.id)).toEqual([
        'submitted',
        'validation-failed',
      ]);

      const wrongEnv = await service.submit(
        requester,
        submission({
          type: 'binding-change',
          change: {
            action: 'add',
            binding: {
              workload: 'api',
              consumer: 'postgres',
              environment: 'samakia-dev',
              endpoint: 'pg.birds.internal:5432',
            },
          },
        }),
      );
      expect(wrongEnv.validation?.problems[0].path).toBe(
        'change.binding.environment',
      );
    });

    it('refuses self-approval, tenant approval and CI actions', async () => {
      const mine = await service.submit(
        op1,
        submission({ environment: 'samakia-dev' }),
      );
      await expect(service.claim(op1, mine.id)).rejects.toBeInstanceOf(
        NotAllowedError,
      );
      await service.claim(op2, mine.id);
      await expect(service.approve(op1, mine.id, {})).rejects.toThrow(
        /Nobody may approve their own proposal/,
      );
      await expect(service.approve(otherTenant, mine.id, {})).rejects.toThrow(
        /Tenants never approve/,
      );
      await expect(service.approve(ci, mine.id, {})).rejects.toBeInstanceOf(
        NotAllowedError,
      );
      await expect(
        service.reject(otherTenant, mine.id, { reason: 'no' }),
      ).rejects.toBeInstanceOf(NotAllowedError);
      await expect(service.submit(ci, submission())).rejects.toBeInstanceOf(
        NotAllowedError,
      );
      const approved = await service.approve(op2, mine.id, {});
      expect(approved.state).toBe('approved');
      await expect(
        service.apply(ci, mine.id, { reference: 'x', evidence: APPLY_PACKET }),
      ).rejects.toThrow(/CI never runs the apply step/);
      await expect(
        service.apply(requester, mine.id, {
          reference: 'x',
          evidence: APPLY_PACKET,
        }),
      ).rejects.toBeInstanceOf(NotAllowedError);
      expect((await service.proposals.get(mine.id)).state).toBe('approved');
    });

    it('needs two distinct approvers in production, one elsewhere', async () => {
      const prod = await service.submit(requester, submission());
      await service.claim(op1, prod.id);
      await service.approve(op1, prod.id, {
        signature: signFor('olga@example.com', prod.digest),
      });
      await expect(
        service.approve(op1, prod.id, {
          signature: signFor('olga@example.com', prod.digest),
        }),
      ).rejects.toThrow(/already approved/);
      expect(await gate.evaluate(prod.id, now)).toMatchObject({
        allowed: false,
        state: 'in-review',
        reasons: [
          expect.objectContaining({ code: 'not-approved' }),
          { code: 'missing-approvals', message: '1 of 2 required approvals' },
        ],
      });
      await expect(
        service.apply(op1, prod.id, { reference: 'x', evidence: APPLY_PACKET }),
      ).rejects.toBeInstanceOf(ConflictError);
      await service.approve(op2, prod.id, {
        signature: signFor('oscar@example.com', prod.digest),
      });
      expect(await gate.evaluate(prod.id, now)).toMatchObject({
        allowed: true,
        reasons: [],
      });

      const dev = await service.submit(
        requester,
        submission({ environment: 'samakia-dev' }),
      );
      await service.claim(op1, dev.id);
      expect((await service.approve(op1, dev.id, {})).state).toBe('approved');
    });

    it('refuses missing, bad and foreign-key signatures in production', async () => {
      const p = await service.submit(requester, submission());
      await service.claim(op1, p.id);
      await expect(service.approve(op1, p.id, {})).rejects.toBeInstanceOf(
        InputError,
      );
      // A real signature, but over another digest.
      await expect(
        service.approve(op1, p.id, {
          signature: signFor('olga@example.com', 'f'.repeat(64)),
        }),
      ).rejects.toThrow(/does not verify/);
      // Signed with somebody else's registered key.
      await expect(
        service.approve(op1, p.id, {
          signature: signFor('oscar@example.com', p.digest),
        }),
      ).rejects.toThrow(/does not verify/);
      // Signed with an unregistered key.
      await expect(
        service.approve(op1, p.id, {
          signature: signFor('otto@example.com', p.digest),
        }),
      ).rejects.toBeInstanceOf(NotAllowedError);
      // otto has no registered key at all.
      await service.claims.release(knex, p.id, op1.userRef);
      await expect(
        service.approve(op3, p.id, {
          signature: signFor('otto@example.com', p.digest),
        }),
      ).rejects.toThrow(/no active signing key/);
      await expect(
        service.approve(op1, p.id, { signature: 'not a signature' }),
      ).rejects.toThrow(/not an armored OpenPGP signature/);
      expect(await service.decisions.listForProposal(p.id)).toEqual([]);
      const ok = await service.approve(op1, p.id, {
        signature: signFor('olga@example.com', p.digest),
      });
      expect(ok.state).toBe('in-review');
      const [decision] = await service.decisions.listForProposal(p.id);
      expect(decision.signingKeyFingerprint).toMatch(/^[0-9A-F]{40}$/);
    });

    it('refuses approval inside a deny window or outside allow windows unless overridden', async () => {
      const p = await service.submit(requester, submission());
      await service.claim(op1, p.id);
      now = WEDNESDAY_1230;
      await expect(
        service.approve(op1, p.id, {
          signature: signFor('olga@example.com', p.digest),
        }),
      ).rejects.toThrow(/deny window wednesday-freeze/);
      now = SATURDAY_10;
      await expect(
        service.approve(op1, p.id, {
          signature: signFor('olga@example.com', p.digest),
        }),
      ).rejects.toThrow(/outside every allow window/);
      await service.approve(op1, p.id, {
        signature: signFor('olga@example.com', p.digest),
        override: { reason: 'incident fix', trackingRef: 'OPS-42' },
      });
      const records = await service.audit.list({ proposalId: p.id });
      const override = records.find(r => r.action === 'override');
      expect(override).toMatchObject({
        actor: op1.userRef,
        reason: 'incident fix',
        details: { step: 'approve', trackingRef: 'OPS-42' },
      });
      const [decision] = await service.decisions.listForProposal(p.id);
      expect(decision).toMatchObject({
        overrideReason: 'incident fix',
        overrideTrackingRef: 'OPS-42',
      });
    });

    it('refuses apply with expired approvals and outside the window', async () => {
      const p = await service.submit(requester, submission());
      await approveProd(p.id, p.digest);
      now = new Date(MONDAY_10.getTime() + 30 * 60_000);
      expect((await gate.evaluate(p.id, now)).allowed).toBe(true);

      now = new Date(MONDAY_10.getTime() + 2 * HOUR);
      await expect(
        service.apply(op1, p.id, {
          reference: 'CHG-1',
          evidence: APPLY_PACKET,
        }),
      ).rejects.toThrow(/approval\(s\) expired/);
      expect(await gate.evaluate(p.id, now)).toMatchObject({
        allowed: false,
        reasons: [expect.objectContaining({ code: 'approvals-expired' })],
      });
      // An override covers the window only, never missing approvals.
      await expect(
        service.apply(op1, p.id, {
          reference: 'CHG-1',
          evidence: APPLY_PACKET,
          override: { reason: 'urgent', trackingRef: 'OPS-1' },
        }),
      ).rejects.toBeInstanceOf(NotAllowedError);
      const expired = await service.expire('system:approvals', p.id);
      expect(expired.state).toBe('expired');
      expect((await gate.evaluate(p.id, now)).reasons).toEqual([
        expect.objectContaining({ code: 'expired' }),
      ]);
    });

    it('refuses apply outside the change window unless overridden', async () => {
      now = new Date('2030-01-07T16:30:00.000Z');
      const p = await service.submit(requester, submission());
      await approveProd(p.id, p.digest);
      // 17:10: approvals (one hour) still valid, the 09:00-17:00 window closed.
      now = new Date('2030-01-07T17:10:00.000Z');
      expect((await gate.evaluate(p.id, now)).reasons.map(r => r.code)).toEqual(
        ['outside-window'],
      );
      await expect(
        service.apply(op1, p.id, {
          reference: 'CHG-2',
          evidence: APPLY_PACKET,
        }),
      ).rejects.toThrow(/outside every allow window/);
      const applied = await service.apply(op1, p.id, {
        reference: 'CHG-2',
        evidence: APPLY_PACKET,
        override: { reason: 'customer outage', trackingRef: 'OPS-77' },
      });
      expect(applied.state).toBe('applied');
      expect(await auditActions(p.id)).toEqual(
        expect.arrayContaining(['override', 'applied']),
      );
    });

    it('gives exactly one transition for concurrent approve requests', async () => {
      const p = await service.submit(
        requester,
        submission({ environment: 'samakia-dev' }),
      );
      // Not claimed yet: approving a validated proposal is refused.
      await expect(service.approve(op2, p.id, {})).rejects.toBeInstanceOf(
        ConflictError,
      );
      await service.claim(op1, p.id);
      const concurrent = await Promise.allSettled(
        [op1, op1, op1, op1].map(actor =>
          service.approve(actor, p.id, { comment: 'ok' }),
        ),
      );
      expect(concurrent.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const losers = concurrent.flatMap(r =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      expect(losers).toHaveLength(3);
      expect(losers.every(e => e instanceof ConflictError)).toBe(true);
      expect(await service.decisions.listForProposal(p.id)).toHaveLength(1);
      expect(
        (await auditActions(p.id)).filter(a => a === 'approval'),
      ).toHaveLength(1);
      expect((await service.proposals.get(p.id)).state).toBe('approved');

      // Two different approvers racing on a production proposal that needs both.
      const prod = await service.submit(requester, submission());
      const signatures = {
        [op1.userRef]: signFor('olga@example.com', prod.digest),
        [op2.userRef]: signFor('oscar@example.com', prod.digest),
      };
      await service.claim(op3, prod.id);
      await service.claims.release(knex, prod.id, op3.userRef);
      const race = await Promise.allSettled(
        [op1, op2].map(actor =>
          service.approve(actor, prod.id, {
            signature: signatures[actor.userRef],
          }),
        ),
      );
      const won = race.filter(r => r.status === 'fulfilled').length;
      const decisions = await service.decisions.listForProposal(prod.id);
      expect(decisions).toHaveLength(won);
      const state = (await service.proposals.get(prod.id)).state;
      expect(state).toBe(won === 2 ? 'approved' : 'in-review');
    });

    it('makes review claims exclusive leases with a time-to-live', async () => {
      const p = await service.submit(
        requester,
        submission({ environment: 'samakia-dev' }),
      );
      await service.claim(op1, p.id);
      await expect(service.claim(op2, p.id)).rejects.toThrow(
        /claimed by user:default\/olga/,
      );
      await expect(service.approve(op2, p.id, {})).rejects.toBeInstanceOf(
        ConflictError,
      );
      now = new Date(MONDAY_10.getTime() + HOUR);
      const claim = await service.claim(op2, p.id);
      expect(claim.claimant).toBe(op2.userRef);
      expect((await service.approve(op2, p.id, {})).state).toBe('approved');
    });

    it('lets nobody claim a proposal again after approving it, so the second approver can', async () => {
      const prod = await service.submit(requester, submission());
      await service.claim(op1, prod.id);
      await service.approve(op1, prod.id, {
        signature: signFor('olga@example.com', prod.digest),
      });
      // The re-claim would hold the lease for 30 minutes and lock the second approver out.
      await expect(service.claim(op1, prod.id)).rejects.toThrow(
        /user:default\/olga has already approved proposal .*nothing left to claim/,
      );
      await expect(service.claim(op1, prod.id)).rejects.toBeInstanceOf(
        ConflictError,
      );
      const claim = await service.claim(op2, prod.id);
      expect(claim.claimant).toBe(op2.userRef);
      const approved = await service.approve(op2, prod.id, {
        signature: signFor('oscar@example.com', prod.digest),
      });
      expect(approved.state).toBe('approved');
      expect(await auditActions(prod.id)).toEqual([
        'submitted',
        'validated',
        'claimed',
        'approval',
        'claimed',
        'approval',
      ]);
    });

    it('supersedes: the old proposal is withdrawn and linked, content never changes', async () => {
      const old = await service.submit(requester, submission());
      const replacement = await service.submit(
        requester,
        submission({ supersedes: old.id, title: 'Less CPU' }),
      );
      const reloaded = await service.proposals.get(old.id);
      expect(reloaded).toMatchObject({
        state: 'withdrawn',
        supersededBy: replacement.id,
        title: old.title,
        digest: old.digest,
        change: old.change,
      });
      await expect(
        service.submit(otherTenant, submission({ supersedes: replacement.id })),
      ).rejects.toBeInstanceOf(NotAllowedError);
      await expect(
        service.submit(requester, submission({ supersedes: old.id })),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await gate.evaluate(old.id, now)).toMatchObject({
        allowed: false,
        reasons: [expect.objectContaining({ code: 'withdrawn' })],
      });
    });

    it('rolls the transition back when the audit record cannot be written', async () => {
      const p = await service.submit(
        requester,
        submission({ environment: 'samakia-dev' }),
      );
      await service.claim(op1, p.id);
      const head = await knex('approvals_audit_head').where({ id: 1 }).first();
      await knex('approvals_audit_head').where({ id: 1 }).delete();
      try {
        await expect(service.approve(op1, p.id, {})).rejects.toThrow(
          /audit log head/,
        );
      } finally {
        await knex('approvals_audit_head').insert(head);
      }
      expect((await service.proposals.get(p.id)).state).toBe('in-review');
      expect(await service.decisions.listForProposal(p.id)).toEqual([]);
    });

    it('answers the gate for a change reference from one read, as the gate by id does', async () => {
      const changeGate = new GateService(service, { now: () => now });
      const older = await service.submit(
        requester,
        submission({ changeRef: 'mr!7' }),
      );
      now = new Date(MONDAY_10.getTime() + 60_000);
      const newer = await service.submit(
        requester,
        submission({ changeRef: 'mr!7', title: 'Again' }),
      );
      await service.claim(op1, newer.id);
      await service.approve(op1, newer.id, {
        signature: signFor('olga@example.com', newer.digest),
      });
      now = new Date(MONDAY_10.getTime() + 2 * 60_000);
      await service.approve(op2, newer.id, {
        signature: signFor('oscar@example.com', newer.digest),
      });

      const found = await service.findByChangeWithDecisions(
        newer.tenant,
        'mr!7',
      );
      expect(found.proposal.id).not.toBe(older.id);
      expect(found.proposal).toEqual(await service.proposals.get(newer.id));
      expect(found.decisions).toHaveLength(2);
      expect(found.decisions).toEqual(
        await service.decisions.listForProposal(newer.id),
      );
      expect(await changeGate.evaluateChange(newer.tenant, 'mr!7')).toEqual(
        await gate.evaluate(newer.id, now),
      );

      const lone = await service.submit(
        requester,
        submission({ changeRef: 'mr!8' }),
      );
      expect(
        await service.findByChangeWithDecisions(lone.tenant, 'mr!8'),
      ).toEqual({
        proposal: await service.proposals.get(lone.id),
        decisions: [],
      });
      await expect(
        changeGate.evaluateChange('tenant:default/project-fish', 'mr!7'),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('answers the gate in each state', async () => {
      const codes = async (id: string) =>
        (await gate.evaluate(id, now)).reasons.map(r => r.code);

      const invalid = await service.submit(
        requester,
        submission({ change: { quotas: { cpuCores: -1 } } }),
      );
      expect(await codes(invalid.id)).toEqual([
        'validation-failed',
        'rejected',
      ]);

      const p = await service.submit(requester, submission());
      expect(await codes(p.id)).toEqual(['not-approved', 'missing-approvals']);
      await service.claim(op1, p.id);
      expect(await codes(p.id)).toEqual(['not-approved', 'missing-approvals']);
      await approveProd(p.id, p.digest);
      expect(await gate.evaluate(p.id, now)).toEqual({
        proposalId: p.id,
        state: 'approved',
        allowed: true,
        reasons: [],
        evaluatedAt: now.toISOString(),
      });
      expect(
        (await gate.evaluate(p.id, new Date('2030-01-07T09:30:00.000Z')))
          .allowed,
      ).toBe(true);
      expect(
        await gate.evaluate(p.id, new Date('2030-01-07T08:59:00.000Z')),
      ).toMatchObject({
        allowed: false,
        reasons: [expect.objectContaining({ code: 'outside-window' })],
      });
      await service.apply(op2, p.id, {
        reference: 'CHG-7',
        evidence: APPLY_PACKET,
      });
      expect(await codes(p.id)).toEqual(['already-applied']);

      const r = await service.submit(requester, submission());
      await service.reject(op1, r.id, { reason: 'too much' });
      expect(await codes(r.id)).toEqual(['rejected']);

      const w = await service.submit(requester, submission());
      await service.withdraw(requester, w.id, { reason: 'not needed' });
      expect(await codes(w.id)).toEqual(['withdrawn']);
      await expect(
        service.withdraw(otherTenant, w.id, {}),
      ).rejects.toBeInstanceOf(NotAllowedError);
    });

    it('keeps a hash chain that verifies and detects edited or removed rows', async () => {
      const p = await service.submit(
        requester,
        submission({ environment: 'samakia-dev' }),
      );
      await service.claim(op1, p.id);
      await service.reject(op1, p.id, { reason: 'not now' });
      const good = await service.audit.verifyChain();
      expect(good.ok).toBe(true);
      const records = await service.audit.list();
      expect(good.checked).toBe(records.length);
      records.forEach((record, i) => {
        expect(record.prevHash).toBe(
          i === 0 ? '0'.repeat(64) : records[i - 1].hash,
        );
      });

      const target = records.find(
        r => r.proposalId === p.id && r.action === 'rejection',
      )!;
      await knex('approvals_audit')
        .where({ seq: target.seq })
        .update({ reason: 'fine' });
      expect(await service.audit.verifyChain()).toEqual({
        ok: false,
        checked: target.seq - 1,
        firstBroken: {
          seq: target.seq,
          id: target.id,
          reason: expect.stringContaining('record was edited'),
        },
      });
      await knex('approvals_audit')
        .where({ seq: target.seq })
        .update({ reason: 'not now' });
      expect((await service.audit.verifyChain()).ok).toBe(true);

      const last = records[records.length - 1];
      await knex('approvals_audit').where({ seq: last.seq }).delete();
      const truncated = await service.audit.verifyChain();
      expect(truncated).toMatchObject({
        ok: false,
        firstBroken: { seq: last.seq },
      });
    });
  },
);
