import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ResourceSignalState } from '../service/signals';
import { applyMigrations } from './migrations';
import { RunScope, StateStore, scopeKeyOf } from './StateStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const scope: RunScope = {
  entity: 'tenant:default/project-birds',
  tenant: 'tenant:default/project-birds',
  environment: 'samakia-prod',
  source: 'terraform-ci',
};
const state = (
  resource: string,
  extra: Partial<ResourceSignalState> = {},
): ResourceSignalState => ({
  provider: 'postgres',
  resource,
  verdict: 'WARN',
  warnStreak: 2,
  announced: null,
  ...extra,
});
const sorted = (states: ResourceSignalState[]) =>
  [...states].sort((a, b) => a.resource.localeCompare(b.resource));

describe.each(databases.eachSupportedId())('StateStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    return { db, store: new StateStore() };
  }

  it('keys a scope by all four parts, a missing tenant included', () => {
    const keys = new Set([
      scopeKeyOf(scope),
      scopeKeyOf({ ...scope, tenant: undefined }),
      scopeKeyOf({ ...scope, environment: 'samakia-dev' }),
      scopeKeyOf({ ...scope, source: 'other' }),
      scopeKeyOf({ ...scope, entity: 'component:default/minio' }),
    ]);
    expect(keys.size).toBe(5);
    expect(scopeKeyOf({ ...scope })).toBe(scopeKeyOf(scope));
  });

  it('replaces the state of one scope with its newest run and leaves other scopes alone', async () => {
    const { db, store } = await setUp(databaseId);
    const other = { ...scope, environment: 'samakia-dev' };
    await db.transaction(async tx => {
      await store.replaceScope(tx, scope, 'r1', [state('a'), state('b')], 't1');
      await store.replaceScope(tx, other, 'r9', [state('z')], 't1');
    });
    await db.transaction(tx =>
      store.replaceScope(
        tx,
        scope,
        'r2',
        [state('b', { verdict: 'FAIL', warnStreak: 0, announced: 'FAIL' })],
        't2',
      ),
    );
    const current = await db.transaction(tx =>
      store.forScope(tx, scopeKeyOf(scope)),
    );
    expect(current).toEqual([
      state('b', { verdict: 'FAIL', warnStreak: 0, announced: 'FAIL' }),
    ]);
    expect(
      await db.transaction(tx => store.forScope(tx, scopeKeyOf(other))),
    ).toEqual([state('z')]);
    expect(
      await db.transaction(tx => store.forScope(tx, 'no-such-scope')),
    ).toEqual([]);
  });

  it('stores hundreds of resources across insert batches, and refuses one resource twice', async () => {
    const { db, store } = await setUp(databaseId);
    const many = Array.from({ length: 450 }, (_, i) => state(`res/${i}`));
    await db.transaction(tx => store.replaceScope(tx, scope, 'r1', many, 't'));
    expect(
      sorted(await db.transaction(tx => store.forScope(tx, scopeKeyOf(scope)))),
    ).toEqual(sorted(many));
    // A careless caller passing one resource twice: the whole replacement fails, the old stays.
    await expect(
      db.transaction(tx =>
        store.replaceScope(tx, scope, 'r2', [state('dup'), state('dup')], 't'),
      ),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    expect(
      await db.transaction(tx => store.forScope(tx, scopeKeyOf(scope))),
    ).toHaveLength(450);
  });
});
