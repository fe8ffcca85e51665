import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { applyMigrations } from './migrations';
import { NotificationStore, OutboxEntry } from './NotificationStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const entry = (id: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id,
  runId: 'run-1',
  status: 'pending',
  dueAt: '2026-01-01T10:00:00.000Z',
  createdAt: '2026-01-01T09:00:00.000Z',
  audience: 'tenant',
  recipients: ['group:default/team-birds'],
  payload: {
    title: 'Drift FAIL on project-birds',
    description: 'db/birds differs',
    link: '/catalog/default/tenant/project-birds/drift',
    severity: 'high',
    topic: 'drift',
    scope: 'user',
  },
  ...extra,
});

describe.each(databases.eachSupportedId())(
  'NotificationStore on %s',
  databaseId => {
    async function setUp(id: TestDatabaseId) {
      const db = await databases.init(id);
      await applyMigrations(db);
      const store = new NotificationStore(db);
      const insert = (...entries: OutboxEntry[]) =>
        db.transaction(async tx => {
          for (const e of entries) await store.insert(tx, e);
        });
      return { db, store, insert };
    }

    it('lists the entries of a run in creation order, as written', async () => {
      const { store, insert } = await setUp(databaseId);
      await insert(
        entry('p', {
          audience: 'platform',
          recipients: ['group:default/platform-operators'],
        }),
        entry('t'),
        entry('later', { createdAt: '2026-01-01T09:30:00.000Z' }),
        entry('elsewhere', { runId: 'run-2' }),
      );
      const listed = await store.listForRun('run-1');
      expect(listed.map(e => e.id)).toEqual(['p', 't', 'later']);
      expect(listed[1]).toEqual({
        ...entry('t'),
        sentAt: undefined,
        reason: undefined,
      });
      expect(await store.listForRun('run-none')).toEqual([]);
      await expect(insert(entry('t'))).rejects.toMatchObject(UNIQUE_VIOLATION);
    });

    it('hands out only pending entries that are due, earliest first', async () => {
      const { store, insert } = await setUp(databaseId);
      await insert(
        entry('due-late', { dueAt: '2026-01-01T10:05:00.000Z' }),
        entry('due-early', { dueAt: '2026-01-01T09:55:00.000Z' }),
        entry('held', { dueAt: '2026-01-01T18:00:00.000Z' }),
        entry('muted', { status: 'suppressed' }),
        entry('gone', { status: 'sent', sentAt: '2026-01-01T09:00:01.000Z' }),
      );
      expect(
        (await store.due('2026-01-01T10:05:00.000Z')).map(e => e.id),
      ).toEqual(['due-early', 'due-late']);
      expect(
        (await store.due('2026-01-01T10:05:00.000Z', 1)).map(e => e.id),
      ).toEqual(['due-early']);
    });

    it('lets one instance claim an entry; a second claim and a claim of a sent one fail', async () => {
      const { store, insert } = await setUp(databaseId);
      await insert(entry('n1'));
      const [first, second] = await Promise.all([
        store.claim('n1'),
        store.claim('n1'),
      ]);
      expect([first, second].sort()).toEqual([false, true]);
      expect(await store.due('2026-01-02T00:00:00.000Z')).toEqual([]);
      await store.markSent('n1', '2026-01-01T10:00:01.000Z');
      expect(await store.claim('n1')).toBe(false);
      expect(await store.claim('missing')).toBe(false);
      expect((await store.listForRun('run-1'))[0]).toMatchObject({
        status: 'sent',
        sentAt: '2026-01-01T10:00:01.000Z',
      });
    });

    it('puts a failed delivery back for a retry, or gives up with the reason', async () => {
      const { store, insert } = await setUp(databaseId);
      await insert(entry('retry'), entry('give-up'));
      await store.claim('retry');
      await store.claim('give-up');
      await store.markFailed('retry', '2026-01-01T11:00:00.000Z', 'timeout');
      await store.markFailed('give-up', undefined, 'no such recipient');
      expect(
        (await store.due('2026-01-01T10:30:00.000Z')).map(e => e.id),
      ).toEqual([]);
      expect(
        (await store.due('2026-01-01T11:00:00.000Z')).map(e => [
          e.id,
          e.reason,
        ]),
      ).toEqual([['retry', 'timeout']]);
      expect(
        (await store.listForRun('run-1')).find(e => e.id === 'give-up'),
      ).toMatchObject({ status: 'failed', reason: 'no such recipient' });
    });

    it('cleans up settled entries created before the cutoff, never pending or sending ones', async () => {
      const { store, insert } = await setUp(databaseId);
      const old = '2026-01-01T00:00:00.000Z';
      await insert(
        entry('sent', { status: 'sent', createdAt: old }),
        entry('suppressed', { status: 'suppressed', createdAt: old }),
        entry('failed', { status: 'failed', createdAt: old }),
        entry('pending', { createdAt: old }),
        entry('sending', { status: 'sending', createdAt: old }),
        entry('recent', {
          status: 'sent',
          createdAt: '2026-02-01T00:00:00.000Z',
        }),
      );
      expect(await store.deleteSettledBefore('2026-01-15T00:00:00.000Z')).toBe(
        3,
      );
      expect((await store.listForRun('run-1')).map(e => e.id).sort()).toEqual([
        'pending',
        'recent',
        'sending',
      ]);
    });
  },
);
