import http from 'node:http';
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
import { call } from '../support/apiCall';
import { USERS, waitForCatalog } from './support/identities';
import { devSignIn } from '../support/oidcFlow';
import { pgDatabasePrefix } from './support/postgres';

// Crash safety on PostgreSQL: 100 approvals fired at once at the backend running as its own
// process, which is killed with SIGKILL while they are in flight, then started again on the same
// database. Every approval that was answered 2xx is stored exactly once, the state of every
// proposal follows from its stored decisions, nothing is half-done, and the audit chain verifies.
// The approvals that got no answer are sent again and each proposal is approved exactly once.

jest.setTimeout(300_000);

/**
 * Starts an approval whose request body never finishes arriving, so the request is in
 * flight whatever the timing; resolves with how it ended once the connection drops.
 */
function heldApproval(
  baseUrl: string,
  token: string,
  proposalId: string,
): { sent: Promise<void>; ended: Promise<string> } {
  const body = JSON.stringify({ comment: 'held in flight' });
  const req = http.request(
    `${baseUrl}/api/approvals/proposals/${proposalId}/approve`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
      },
    },
  );
  const ended = new Promise<string>(resolve => {
    req.on('response', res => resolve(`answered ${res.statusCode}`));
    req.on('error', error => resolve(`dropped: ${error.message}`));
  });
  const sent = new Promise<void>(resolve =>
    req.write(body.slice(0, body.length - 1), () => resolve()),
  );
  return { sent, ended };
}

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
    tokens.olivia = await devSignIn(backend.baseUrl, USERS.operator);
    tokens.oscar = await devSignIn(backend.baseUrl, USERS.approver);
    tokens.bea = await devSignIn(backend.baseUrl, USERS.tenantA);
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
    const [heldId] = await submitProposals(
      backend.baseUrl,
      tokens.bea,
      'samakia-dev',
      1,
      'crash-held',
    );
    await inBatches([...ids, heldId], 4, async id => {
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

    // One approval is certainly in flight at the kill: its body never completes.
    const held = heldApproval(backend.baseUrl, tokens.olivia, heldId);
    await held.sent;

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
    // How many of the burst were still in flight depends on timing (it is printed above);
    // the held approval was in flight whatever the timing, and its connection dropped.
    expect(await held.ended).toMatch(/^dropped/);
    expect(answered.filter(a => a.status! >= 500)).toEqual([]);

    await backend.restart();
    expect(backend.pid).not.toBe(pid);
    await signInAll();

    // What is stored after the crash.
    const afterCrash = await approvalsRecords(db.prefix, ids);
    expect(consistencyProblems(afterCrash)).toEqual([]);
    // Nothing of the approval that never arrived whole was stored.
    const [heldAfterCrash] = await approvalsRecords(db.prefix, [heldId]);
    expect(heldAfterCrash.approvals).toEqual([]);
    expect(heldAfterCrash.state).not.toBe('approved');
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
    const heldRetry = await approve(
      backend.baseUrl,
      'restarted',
      tokens.olivia,
      OLIVIA,
      heldId,
    );
    expect(heldRetry.status).toBe(200);
    const final = await approvalsRecords(db.prefix, [...ids, heldId]);
    expect(consistencyProblems(final)).toEqual([]);
    expect(final.filter(r => r.state !== 'approved').map(r => r.id)).toEqual(
      [],
    );
    expect(final.map(r => r.becameApproved)).toEqual(
      [...ids, heldId].map(() => 1),
    );
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
