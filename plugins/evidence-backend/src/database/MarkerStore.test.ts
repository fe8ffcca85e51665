import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { applyMigrations } from './migrations';
import { MarkerCitation, MarkerStore } from './MarkerStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const citation = (
  path: string,
  packetKey: string,
  title = `Acceptance ${path}`,
): MarkerCitation => ({ source: 'root-a', path, title, packetKey });

describe.each(databases.eachSupportedId())('MarkerStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    return { db, store: new MarkerStore(db) };
  }

  const rows = (db: Awaited<ReturnType<typeof setUp>>['db']) =>
    db('evidence_markers')
      .select('id', 'source', 'marker_path', 'title', 'packet_key')
      .orderBy('id');

  it('writes nothing when a root is rescanned unchanged', async () => {
    const { db, store } = await setUp(databaseId);
    const set = [
      citation('acceptance/dns.md', 'dns/samakia-dns/20260102T170000Z'),
      citation('acceptance/minio.md', 'minio/samakia-minio/20260102T170000Z'),
    ];
    expect(await store.replaceForSource('root-a', set)).toEqual({
      added: 2,
      removed: 0,
    });
    const before = await rows(db);
    expect(await store.replaceForSource('root-a', [...set].reverse())).toEqual({
      added: 0,
      removed: 0,
    });
    expect(await rows(db)).toEqual(before);
  });

  it('changes only the rows that changed, and leaves other roots alone', async () => {
    const { db, store } = await setUp(databaseId);
    await store.replaceForSource('root-a', [
      citation('acceptance/dns.md', 'dns/samakia-dns/20260102T170000Z'),
      citation('acceptance/minio.md', 'minio/samakia-minio/20260102T170000Z'),
      citation('acceptance/old.md', 'dns/samakia-dns/20250101T000000Z'),
    ]);
    await store.replaceForSource('root-b', [
      {
        ...citation('acceptance/dns.md', 'dns/samakia-dns/20260102T170000Z'),
        source: 'root-b',
      },
    ]);
    const [dns] = (await rows(db)).filter(
      r => r.source === 'root-a' && r.marker_path === 'acceptance/dns.md',
    );

    const result = await store.replaceForSource('root-a', [
      citation('acceptance/dns.md', 'dns/samakia-dns/20260102T170000Z'),
      citation(
        'acceptance/minio.md',
        'minio/samakia-minio/20260102T170000Z',
        'MinIO acceptance, retitled',
      ),
      citation('acceptance/new.md', 'dns/samakia-dns/20261123T090000Z'),
    ]);

    // old.md went, minio.md's title changed (one out, one in), new.md came.
    expect(result).toEqual({ added: 2, removed: 2 });
    const after = await rows(db);
    expect(after.map(r => [r.source, r.marker_path, r.title])).toEqual(
      expect.arrayContaining([
        ['root-a', 'acceptance/dns.md', 'Acceptance acceptance/dns.md'],
        ['root-a', 'acceptance/minio.md', 'MinIO acceptance, retitled'],
        ['root-a', 'acceptance/new.md', 'Acceptance acceptance/new.md'],
        ['root-b', 'acceptance/dns.md', 'Acceptance acceptance/dns.md'],
      ]),
    );
    expect(after).toHaveLength(4);
    // The unchanged row kept its identity.
    expect(after.find(r => r.id === dns.id)).toEqual(dns);
    expect(await store.citing('dns/samakia-dns/20260102T170000Z')).toEqual([
      {
        source: 'root-a',
        path: 'acceptance/dns.md',
        title: 'Acceptance acceptance/dns.md',
      },
      {
        source: 'root-b',
        path: 'acceptance/dns.md',
        title: 'Acceptance acceptance/dns.md',
      },
    ]);
  });

  it('empties a root whose markers are all gone', async () => {
    const { db, store } = await setUp(databaseId);
    await store.replaceForSource('root-a', [
      citation('acceptance/dns.md', 'dns/samakia-dns/20260102T170000Z'),
    ]);
    expect(await store.replaceForSource('root-a', [])).toEqual({
      added: 0,
      removed: 1,
    });
    expect(await rows(db)).toEqual([]);
  });
});
