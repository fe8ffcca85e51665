import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { AuditRecordInput, AuditStore, GENESIS_HASH } from './AuditStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const input = (
  id: string,
  extra: Partial<AuditRecordInput> = {},
): AuditRecordInput => ({
  id,
  proposalId: 'p1',
  action: 'approve',
  actor: 'user:default/olivia.operator',
  at: '2026-01-01T10:00:00.000Z',
  details: { digest: 'a'.repeat(64), n: 1 },
  ...extra,
});

describe.each(databases.eachSupportedId())('AuditStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    const store = new AuditStore(db);
    const append = (i: AuditRecordInput) =>
      db.transaction(tx => store.append(tx, i));
    return { db, store, append };
  }

  it('chains records: each carries the hash of the one before, starting at genesis', async () => {
    const { store, append } = await setUp(databaseId);
    const a = await append(input('a'));
    const b = await append(
      input('b', { proposalId: undefined, reason: 'why', details: undefined }),
    );
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash, details: {} });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.list()).toEqual([
      a,
      { ...b, proposalId: undefined, reason: 'why' },
    ]);
    expect((await store.list({ proposalId: 'p1' })).map(r => r.id)).toEqual([
      'a',
    ]);
    expect(await store.verifyChain()).toEqual({ ok: true, checked: 2 });
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    const { store, append } = await setUp(databaseId);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => append(input(`r${i}`))),
    );
    const records = await store.list();
    expect(records.map(r => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await store.verifyChain()).toEqual({ ok: true, checked: 8 });
  });

  it('appends nothing when the surrounding transaction rolls back, and refuses an id twice', async () => {
    const { db, store, append } = await setUp(databaseId);
    await append(input('a'));
    await expect(
      db.transaction(async tx => {
        await store.append(tx, input('b'));
        throw new Error('the decision insert failed');
      }),
    ).rejects.toThrow('the decision insert failed');
    await expect(append(input('a'))).rejects.toMatchObject(UNIQUE_VIOLATION);
    expect((await store.list()).map(r => r.id)).toEqual(['a']);
    // The head rolled back with it: the next append continues the chain.
    await append(input('c'));
    expect(await store.verifyChain()).toEqual({ ok: true, checked: 2 });
  });

  it('finds an edited record, a removed one in the middle and one removed at the end', async () => {
    const { db, store, append } = await setUp(databaseId);
    for (const id of ['a', 'b', 'c']) await append(input(id));

    await db('approvals_audit').where({ id: 'b' }).update({ actor_ref: 'x' });
    expect(await store.verifyChain()).toEqual({
      ok: false,
      checked: 1,
      firstBroken: {
        seq: 2,
        id: 'b',
        reason: 'content does not match its hash (record was edited)',
      },
    });
    await db('approvals_audit')
      .where({ id: 'b' })
      .update({ actor_ref: 'user:default/olivia.operator' });
    expect((await store.verifyChain()).ok).toBe(true);

    const [last] = await db('approvals_audit').where({ id: 'c' });
    await db('approvals_audit').where({ id: 'c' }).delete();
    expect(await store.verifyChain()).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3 },
    });
    await db('approvals_audit').insert(last);

    await db('approvals_audit').where({ id: 'b' }).delete();
    expect(await store.verifyChain()).toMatchObject({
      ok: false,
      checked: 1,
      firstBroken: {
        seq: 3,
        id: 'c',
        reason: 'record 2 is missing (found 3 next)',
      },
    });
  });

  it('says what to do when the head row is missing', async () => {
    const { db, append } = await setUp(databaseId);
    await db('approvals_audit_head').delete();
    await expect(append(input('a'))).rejects.toThrow(
      'The audit log head is missing; run the migrations',
    );
  });
});
