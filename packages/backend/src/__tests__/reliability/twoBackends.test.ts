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

// Two backend processes on one PostgreSQL database, as two replicas behind a load balancer:
// both reviewers send their approval of the same proposals to both processes at the same time,
// round after round until every proposal is approved. Each proposal becomes approved exactly
// once, each reviewer's approval is recorded once (one 200 per reviewer and proposal, every other
// attempt a 409), and the audit chain verifies from either process.

jest.setTimeout(300_000);

const ACTORS = {
  [`user:default/${USERS.operator}`]: 'olivia',
  [`user:default/${USERS.approver}`]: 'oscar',
} as const;

describe('two backend processes on one PostgreSQL', () => {
  const db = pgDatabasePrefix('twin');
  const backends: Record<'a' | 'b', BackendProcess> = {} as any;
  const tokens: Record<'a' | 'b', Record<string, string>> = { a: {}, b: {} };

  beforeAll(async () => {
    backends.a = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'twin-a',
      extraConfig: APPROVAL_RULES,
    });
    backends.b = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'twin-b',
      extraConfig: APPROVAL_RULES,
    });
    for (const side of ['a', 'b'] as const) {
      await waitForCatalog(backends[side].baseUrl);
      const users = {
        olivia: USERS.operator,
        oscar: USERS.approver,
        bea: USERS.tenantA,
      };
      for (const [name, username] of Object.entries(users)) {
        tokens[side][name] = await devSignIn(backends[side].baseUrl, username);
      }
    }
  });

  afterAll(async () => {
    await backends.a?.stop();
    await backends.b?.stop();
    await db.drop();
  });

  it('approves each proposal exactly once when both processes take the same approvals', async () => {
    // Proposals submitted through A and through B; each needs olivia's and oscar's approval.
    const ids = [
      ...(await submitProposals(
        backends.a.baseUrl,
        tokens.a.bea,
        'samakia-staging',
        10,
        'twin A',
      )),
      ...(await submitProposals(
        backends.b.baseUrl,
        tokens.b.bea,
        'samakia-staging',
        10,
        'twin B',
      )),
    ];
    // Olivia claims them all (half through each process).
    await inBatches(ids, 4, async (id, i) => {
      const side = i % 2 ? 'b' : 'a';
      await expectOk(
        'claim',
        call(
          backends[side].baseUrl,
          tokens[side].olivia,
          'POST',
          `/api/approvals/proposals/${id}/claim`,
        ),
      );
    });

    const attempts: Attempt[] = [];
    let round = 0;
    for (; round < 8; round++) {
      const stored = await approvalsRecords(db.prefix, ids);
      const pending = stored.filter(r => r.state !== 'approved');
      if (pending.length === 0) break;
      // Every missing approval, sent to both processes at once.
      const wave: Array<Promise<Attempt>> = [];
      for (const record of pending) {
        for (const [actor, name] of Object.entries(ACTORS)) {
          if (record.approvals.includes(actor)) continue;
          for (const side of ['a', 'b'] as const) {
            wave.push(
              approve(
                backends[side].baseUrl,
                side,
                tokens[side][name],
                actor,
                record.id,
              ),
            );
          }
        }
      }
      attempts.push(...(await Promise.all(wave)));
    }
    const byStatus: Record<string, number> = {};
    for (const a of attempts)
      byStatus[a.status ?? a.error!] =
        (byStatus[a.status ?? a.error!] ?? 0) + 1;
    // eslint-disable-next-line no-console
    console.log(
      `two backends: ${ids.length} proposals, ${
        attempts.length
      } approval requests in ${round} rounds: ${JSON.stringify(byStatus)}`,
    );

    const final = await approvalsRecords(db.prefix, ids);
    expect(consistencyProblems(final)).toEqual([]);
    expect(final.filter(r => r.state !== 'approved').map(r => r.id)).toEqual(
      [],
    );
    expect(final.map(r => r.becameApproved)).toEqual(ids.map(() => 1));
    expect(final.map(r => r.approvals)).toEqual(
      ids.map(() => Object.keys(ACTORS).sort()),
    );
    // Only 200 (the one recorded approval) and 409 (a concurrent duplicate, or oscar meeting
    // olivia's claim) were answered.
    expect(Object.keys(byStatus).sort()).toEqual(['200', '409']);
    for (const id of ids) {
      for (const actor of Object.keys(ACTORS)) {
        const wins = attempts.filter(
          a => a.proposalId === id && a.actor === actor && a.status === 200,
        );
        expect([id, actor, wins.length]).toEqual([id, actor, 1]);
      }
    }
    // Both processes took part in the decisions.
    expect(
      new Set(attempts.filter(a => a.status === 200).map(a => a.backend)),
    ).toEqual(new Set(['a', 'b']));
    for (const side of ['a', 'b'] as const) {
      const verify = await call(
        backends[side].baseUrl,
        tokens[side].olivia,
        'GET',
        '/api/approvals/audit/verify',
      );
      expect(verify.body).toMatchObject({ ok: true });
      expect(await backends[side].ready()).toBe(true);
    }
  });
});
