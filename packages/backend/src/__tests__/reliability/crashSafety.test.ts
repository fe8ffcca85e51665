import { BackendProcess, startBackendProcess } from './support/backendProcess';
import {
  APPROVAL_RULES,
  Attempt,
  approvalsRecords,
  approve,
  consistencyProblems,
  expectOk,
  inBatches,
  submitProposals,
} from './support/approvalsWorkload';
import { USERS, call, signIn, waitForCatalog } from './support/identities';
import { pgDatabasePrefix } from './support/postgres';

// Crash safety on PostgreSQL: 100 approvals fired at once at the backend running as its own
// process, which is killed with SIGKILL while they are in flight, then started again on the same
// database. Every approval that was answered 2xx is stored exactly once, the state of every
// proposal follows from its stored decisions, nothing is half-done, and the audit chain verifies.
// The approvals that got no answer are sent again and each proposal is approved exactly once.

jest.setTimeout(300_000);

const OLIVIA = `user:default/${USERS.operator}`;
const OSCAR = `user:default/${USERS.approver}`;

describe('crash safety of approvals (SIGKILL during 100 concurrent approvals)', () => {
  const db = pgDatabasePrefix('crash');
  let backend: BackendProcess;
  const tokens: Record<'olivia' | 'oscar' | 'bea', string> = {
    olivia: '',
    oscar: '',
    bea: '',
  };
  let ids: string[] = [];
  const burst: Attempt[] = [];

  const signInAll = async () => {
    await waitForCatalog(backend.baseUrl);
    tokens.olivia = await signIn(backend.baseUrl, USERS.operator);
    tokens.oscar = await signIn(backend.baseUrl, USERS.approver);
    tokens.bea = await signIn(backend.baseUrl, USERS.tenantA);
  };

  beforeAll(async () => {
    backend = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'crash',
      extraConfig: APPROVAL_RULES,
    });
    await signInAll();
  });

  afterAll(async () => {
    await backend?.stop();
    await db.drop();
  });

  it('keeps every answered approval exactly once across a SIGKILL', async () => {
    // 50 proposals need one approval (olivia's, after her claim), 50 need two: olivia's is
    // already recorded, oscar's comes in the burst.
    const single = await submitProposals(
      backend.baseUrl,
      tokens.bea,
      'samakia-dev',
      50,
      'crash',
    );
    const double = await submitProposals(
      backend.baseUrl,
      tokens.bea,
      'samakia-staging',
      50,
      'crash',
    );
    ids = [...single, ...double];
    await inBatches(ids, 4, async id => {
      await expectOk(
        'claim',
        call(
          backend.baseUrl,
          tokens.olivia,
          'POST',
          `/api/approvals/proposals/${id}/claim`,
        ),
      );
    });
    await inBatches(double, 4, async id => {
      await expectOk(
        'first approval',
        call(
          backend.baseUrl,
          tokens.olivia,
          'POST',
          `/api/approvals/proposals/${id}/approve`,
          {
            json: {},
          },
        ),
      );
    });
    const auditBefore = await call(
      backend.baseUrl,
      tokens.olivia,
      'GET',
      '/api/approvals/audit/verify',
    );
    expect(auditBefore.body).toMatchObject({ ok: true });

    // The burst: 100 approvals at once; the process dies once a quarter of them are answered.
    const pid = backend.pid;
    let killed: Promise<void> | undefined;
    let succeeded = 0;
    const requests = ids.map((id, i) => {
      const [actor, token] =
        i < single.length ? [OLIVIA, tokens.olivia] : [OSCAR, tokens.oscar];
      return approve(backend.baseUrl, 'crash', token, actor, id).then(
        attempt => {
          if (attempt.status !== undefined && attempt.status < 300) {
            succeeded += 1;
            if (succeeded >= 25) killed ??= backend.kill();
          }
          burst.push(attempt);
          return attempt;
        },
      );
    });
    await Promise.all(requests);
    await killed;
    const answered = burst.filter(a => a.status !== undefined);
    const ok = burst.filter(a => a.status !== undefined && a.status < 300);
    const lost = burst.filter(a => a.status === undefined);
    // eslint-disable-next-line no-console
    console.log(
      `crash: killed pid ${pid}; of ${burst.length} approvals ${
        ok.length
      } answered 2xx, ${answered.length - ok.length} answered otherwise, ${
        lost.length
      } without an answer`,
    );
    expect(burst.length).toBe(100);
    expect(ok.length).toBeGreaterThan(0);
    // The kill happened while approvals were still in flight.
    expect(lost.length).toBeGreaterThan(0);
    expect(answered.filter(a => a.status! >= 500)).toEqual([]);

    await backend.restart();
    expect(backend.pid).not.toBe(pid);
    await signInAll();

    // What is stored after the crash.
    const afterCrash = await approvalsRecords(db.prefix, ids);
    expect(consistencyProblems(afterCrash)).toEqual([]);
    for (const attempt of ok) {
      const record = afterCrash.find(r => r.id === attempt.proposalId)!;
      expect([
        attempt.proposalId,
        record.approvals.filter(a => a === attempt.actor),
      ]).toEqual([attempt.proposalId, [attempt.actor]]);
    }
    const verify = await call(
      backend.baseUrl,
      tokens.olivia,
      'GET',
      '/api/approvals/audit/verify',
    );
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThan(auditBefore.body.checked);

    // The approvals that were lost in flight are sent again: each proposal ends approved once.
    const retries = await inBatches(
      burst.filter(a => a.status === undefined),
      8,
      a =>
        approve(
          backend.baseUrl,
          'restarted',
          a.actor === OLIVIA ? tokens.olivia : tokens.oscar,
          a.actor,
          a.proposalId,
        ),
    );
    for (const retry of retries) {
      const stored = afterCrash.find(r => r.id === retry.proposalId)!;
      // Committed before the kill: refused as a second approval; otherwise recorded now.
      expect([retry.proposalId, retry.status]).toEqual([
        retry.proposalId,
        stored.approvals.includes(retry.actor) ? 409 : 200,
      ]);
    }
    const final = await approvalsRecords(db.prefix, ids);
    expect(consistencyProblems(final)).toEqual([]);
    expect(final.filter(r => r.state !== 'approved').map(r => r.id)).toEqual(
      [],
    );
    expect(final.map(r => r.becameApproved)).toEqual(ids.map(() => 1));
    const finalVerify = await call(
      backend.baseUrl,
      tokens.olivia,
      'GET',
      '/api/approvals/audit/verify',
    );
    expect(finalVerify.body).toMatchObject({ ok: true });
    expect(await backend.ready()).toBe(true);
  });
});
