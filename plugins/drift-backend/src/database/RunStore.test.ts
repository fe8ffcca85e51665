import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DriftFinding } from '@internal/plugin-drift-common';
import { applyMigrations } from './migrations';
import { RunStore, StoredRun } from './RunStore';
import { scopeKeyOf } from './StateStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';

function run(
  id: string,
  observedAt: string,
  overrides: Partial<StoredRun> = {},
): StoredRun {
  const base = {
    entity: overrides.entity ?? BIRDS,
    tenant: 'tenant' in overrides ? overrides.tenant : BIRDS,
    environment: overrides.environment ?? 'samakia-prod',
    source: overrides.source ?? 'terraform-ci',
  };
  return {
    id,
    ...base,
    scopeKey: scopeKeyOf(base),
    format: 'json',
    observedAt,
    receivedAt: observedAt,
    verdict: 'PASS',
    counts: { pass: 1, warn: 0, fail: 0 },
    providers: ['postgres'],
    submittedBy: 'fabric-ci',
    ...overrides,
  };
}

const finding = (
  runId: string,
  resource: string,
  extra: Partial<DriftFinding> = {},
): DriftFinding => ({
  runId,
  provider: 'postgres',
  resource,
  class: 'in-sync',
  verdict: 'PASS',
  ...extra,
});

describe.each(databases.eachSupportedId())('RunStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    const store = new RunStore(db);
    const insert = (r: StoredRun, findings: DriftFinding[] = []) =>
      db.transaction(tx => store.insert(tx, r, findings));
    return { db, store, insert };
  }

  it('stores a run with its findings and reads both back as written', async () => {
    const { store, insert } = await setUp(databaseId);
    const r = run('r1', '2026-01-01T00:00:00.000Z', {
      verdict: 'FAIL',
      counts: { pass: 0, warn: 1, fail: 1 },
      toolVersion: '1.9.0',
      runUrl: 'https://ci.example/run/1',
    });
    await insert(r, [
      finding('r1', 'db/birds', {
        class: 'modified',
        verdict: 'FAIL',
        declared: { size: 10 },
        observed: { size: 12 },
        message: 'grown',
      }),
      finding('r1', 'db/other', { class: 'capacity', verdict: 'WARN' }),
    ]);
    expect(await store.get('r1')).toEqual(r);
    expect(await store.findings(['r1'])).toEqual([
      finding('r1', 'db/birds', {
        class: 'modified',
        verdict: 'FAIL',
        declared: { size: 10 },
        observed: { size: 12 },
        message: 'grown',
      }),
      {
        ...finding('r1', 'db/other', { class: 'capacity', verdict: 'WARN' }),
        resourceType: undefined,
        declared: undefined,
        observed: undefined,
        message: undefined,
      },
    ]);
    expect(await store.find('missing')).toBeUndefined();
    await expect(store.get('missing')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No drift run with id missing',
    });
  });

  it('keeps findings in the order posted, across insert batches', async () => {
    const { store, insert } = await setUp(databaseId);
    const many = Array.from({ length: 450 }, (_, i) =>
      finding('r1', `res/${String(449 - i).padStart(3, '0')}`),
    );
    await insert(run('r1', '2026-01-01T00:00:00.000Z'), many);
    expect((await store.findings(['r1'])).map(f => f.resource)).toEqual(
      many.map(f => f.resource),
    );
  });

  it('refuses a run id twice and leaves nothing of a failed insert behind', async () => {
    const { store, insert } = await setUp(databaseId);
    await insert(run('r1', '2026-01-01T00:00:00.000Z'), [finding('r1', 'a')]);
    await expect(
      insert(run('r1', '2026-01-02T00:00:00.000Z'), [finding('r1', 'b')]),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    expect((await store.get('r1')).observedAt).toBe('2026-01-01T00:00:00.000Z');
    expect((await store.findings(['r1'])).map(f => f.resource)).toEqual(['a']);
  });

  it('answers the newest run per scope, ties broken by id, filtered by the permission condition', async () => {
    const { db, store, insert } = await setUp(databaseId);
    await insert(run('a-old', '2026-01-01T00:00:00.000Z'));
    await insert(run('a-new', '2026-01-02T00:00:00.000Z'));
    // A late upload of an older observation does not become the current state.
    await insert(run('a-late', '2026-01-01T12:00:00.000Z'));
    await insert(
      run('b-1', '2026-01-03T00:00:00.000Z', {
        entity: ORCHARD,
        tenant: ORCHARD,
      }),
    );
    await insert(
      run('b-2', '2026-01-03T00:00:00.000Z', {
        entity: ORCHARD,
        tenant: ORCHARD,
      }),
    );
    expect((await store.latest({})).map(r => r.id)).toEqual(['b-2', 'a-new']);
    expect((await store.latest({ tenantIn: [BIRDS] })).map(r => r.id)).toEqual([
      'a-new',
    ]);
    // An empty condition (a user of no tenant) matches nothing, not everything.
    expect(await store.latest({ tenantIn: [] })).toEqual([]);
    expect(
      await db.transaction(tx =>
        store.hasNewer(
          tx,
          run('x', '').scopeKey,
          '2026-01-01T12:00:00.000Z',
          'a-late',
        ),
      ),
    ).toBe(true);
    expect(
      await db.transaction(tx =>
        store.hasNewer(
          tx,
          run('x', '').scopeKey,
          '2026-01-02T00:00:00.000Z',
          'a-new',
        ),
      ),
    ).toBe(false);
  });

  it('gives the newest runs of a history oldest first', async () => {
    const { store, insert } = await setUp(databaseId);
    for (const day of ['01', '02', '03', '04']) {
      await insert(run(`r${day}`, `2026-01-${day}T00:00:00.000Z`));
    }
    await insert(
      run('other', '2026-01-05T00:00:00.000Z', { environment: 'samakia-dev' }),
    );
    expect(
      (await store.history({ environment: 'samakia-prod' }, 3)).map(r => r.id),
    ).toEqual(['r02', 'r03', 'r04']);
    expect(
      (
        await store.history(
          { tenant: BIRDS, since: '2026-01-04T00:00:00.000Z' },
          10,
        )
      ).map(r => r.id),
    ).toEqual(['r04', 'other']);
  });

  it('expires old runs and their findings but never the current state of a scope', async () => {
    const { db, store, insert } = await setUp(databaseId);
    await insert(run('a-1', '2026-01-01T00:00:00.000Z'), [finding('a-1', 'x')]);
    await insert(run('a-2', '2026-01-02T00:00:00.000Z'), [finding('a-2', 'x')]);
    await insert(
      run('b-1', '2026-01-01T00:00:00.000Z', { source: 'other-ci' }),
      [finding('b-1', 'y')],
    );
    expect(await store.deleteOlderThan('2026-06-01T00:00:00.000Z')).toBe(1);
    expect(await store.find('a-1')).toBeUndefined();
    expect((await store.latest({})).map(r => r.id).sort()).toEqual([
      'a-2',
      'b-1',
    ]);
    const orphans = await db('drift_findings').where('run_id', 'a-1');
    expect(orphans).toEqual([]);
    expect(await store.deleteOlderThan('2026-06-01T00:00:00.000Z')).toBe(0);
  });
});
