import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { applyMigrations } from './migrations';
import { PacketStore, StoredFile, StoredPacket } from './PacketStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';

function packet(
  id: string,
  overrides: Partial<StoredPacket> = {},
): StoredPacket {
  const area = overrides.area ?? 'tenants';
  const subject = 'subject' in overrides ? overrides.subject : 'project-birds';
  const timestamp = overrides.timestamp ?? '2026-01-02T17:00:00Z';
  return {
    id,
    source: 'upload',
    path: `evidence/${area}/${subject}/${id}`,
    key: `${area}/${subject}/${timestamp}`,
    area,
    subject,
    timestamp,
    tenant: BIRDS,
    entityRefs: [BIRDS],
    title: `Packet ${id}`,
    result: 'PASS',
    verdict: 'verified',
    reasons: [],
    signatures: [],
    timestamps: [],
    signers: ['user:default/olivia.operator'],
    requiredSigners: 1,
    steps: [{ name: '01-verify', exitCode: 0 }],
    manifestFormat: 'sha256sum',
    manifestSha256: 'b'.repeat(64),
    fileCount: 2,
    totalBytes: 123,
    indexedAt: '2026-01-02T17:01:00.000Z',
    verifiedAt: '2026-01-02T17:01:00.000Z',
    contentDigest: 'c'.repeat(64),
    fingerprint: 'd'.repeat(64),
    keyringDigest: 'e'.repeat(64),
    summaryPath: 'summary.md',
    ...overrides,
  };
}

const file = (path: string, extra: Partial<StoredFile> = {}): StoredFile => ({
  path,
  size: 10,
  mtimeMs: 1767373200000,
  sha256: 'f'.repeat(64),
  expectedSha256: 'f'.repeat(64),
  status: 'ok',
  kind: 'log',
  text: true,
  findings: [],
  ...extra,
});

const page = { limit: 50, offset: 0 };

describe.each(databases.eachSupportedId())('PacketStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    return { db, store: new PacketStore(db) };
  }

  it('saves a packet with its files and links and reads every field back', async () => {
    const { store } = await setUp(databaseId);
    const p = packet('p1', {
      entityRefs: [BIRDS, 'component:default/minio', BIRDS],
    });
    const files = [
      file('summary.md', { kind: 'summary' }),
      file('steps/01/stdout.log', {
        status: 'missing',
        size: undefined,
        mtimeMs: undefined,
        sha256: undefined,
      }),
    ];
    await store.save(p, files);
    // Links come back de-duplicated and sorted.
    expect(await store.get('p1')).toEqual({
      ...p,
      entityRefs: ['component:default/minio', BIRDS],
    });
    expect(await store.findBySourcePath('upload', p.path)).toEqual(
      await store.get('p1'),
    );
    expect(await store.files('p1')).toEqual([files[1], files[0]]);
    expect(await store.file('p1', 'summary.md')).toEqual(files[0]);
    expect(await store.file('p1', 'nope.md')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.findBySourcePath('upload', 'nowhere')).toBeUndefined();
  });

  it('replaces the entry of a re-verified folder: files and links of the old verification go', async () => {
    const { store } = await setUp(databaseId);
    await store.save(packet('p1'), [file('a.log'), file('b.log')]);
    await store.save(
      packet('p1', {
        verdict: 'tampered',
        reasons: [{ code: 'file-modified', message: 'a.log changed' }] as any,
        entityRefs: [],
      }),
      [file('a.log', { status: 'modified' })],
    );
    const again = await store.get('p1');
    expect(again).toMatchObject({ verdict: 'tampered', entityRefs: [] });
    expect((await store.files('p1')).map(f => [f.path, f.status])).toEqual([
      ['a.log', 'modified'],
    ]);
    expect(await store.listBySource('upload')).toEqual([
      {
        id: 'p1',
        relPath: packet('p1').path,
        verdict: 'tampered',
        reasons: JSON.stringify(again!.reasons),
      },
    ]);
  });

  it('keeps the first id when two replicas index the same new folder, with one set of files and links', async () => {
    const { store } = await setUp(databaseId);
    const folder = packet('first').path;
    expect(await store.save(packet('first'), [file('a.log')])).toBe('first');
    // The second indexer read no entry before the first saved, so it brings an id of its own.
    const second = packet('second', {
      path: folder,
      entityRefs: [ORCHARD],
    });
    expect(await store.save(second, [file('b.log')])).toBe('first');
    expect(await store.get('second')).toBeUndefined();
    expect(await store.get('first')).toMatchObject({
      id: 'first',
      path: folder,
      entityRefs: [ORCHARD],
    });
    expect((await store.files('first')).map(f => f.path)).toEqual(['b.log']);
    expect(await store.listBySource('upload')).toHaveLength(1);
  });

  it('saves nothing of a packet whose files clash', async () => {
    const { store } = await setUp(databaseId);
    await store.save(packet('p1'), [file('a.log')]);
    // A careless caller lists one file twice: the whole save rolls back.
    await expect(
      store.save(packet('p2', { path: 'evidence/other' }), [
        file('x.log'),
        file('x.log'),
      ]),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    expect(await store.get('p2')).toBeUndefined();
    expect(await store.files('p2')).toEqual([]);
    expect((await store.listBySource('upload')).map(r => r.id)).toEqual(['p1']);
  });

  it('lists newest first with a total, filtered by tenant scope, area, verdict and time', async () => {
    const { store } = await setUp(databaseId);
    await store.save(packet('old', { timestamp: '2026-01-01T00:00:00Z' }), []);
    await store.save(packet('new', { timestamp: '2026-01-03T00:00:00Z' }), []);
    await store.save(
      packet('orchard', {
        subject: 'project-orchard',
        tenant: ORCHARD,
        entityRefs: [ORCHARD],
        timestamp: '2026-01-02T00:00:00Z',
        verdict: 'unsigned',
      }),
      [],
    );
    await store.save(
      packet('dns', {
        area: 'planes',
        subject: 'dns',
        tenant: undefined,
        entityRefs: [],
        timestamp: '2026-01-02T12:00:00Z',
      }),
      [],
    );
    const ids = async (filter: object) => {
      const { items, total } = await store.list({ ...page, ...filter });
      return { ids: items.map(p => p.id), total };
    };
    expect(await ids({})).toEqual({
      ids: ['new', 'dns', 'orchard', 'old'],
      total: 4,
    });
    expect(await ids({ tenants: [BIRDS] })).toEqual({
      ids: ['new', 'old'],
      total: 2,
    });
    // A user of no tenant sees nothing, not everything.
    expect(await ids({ tenants: [] })).toEqual({ ids: [], total: 0 });
    expect(await ids({ area: 'planes' })).toEqual({ ids: ['dns'], total: 1 });
    expect(await ids({ verdict: 'unsigned' })).toEqual({
      ids: ['orchard'],
      total: 1,
    });
    expect(
      await ids({ from: '2026-01-02T00:00:00Z', to: '2026-01-03T00:00:00Z' }),
    ).toEqual({ ids: ['dns', 'orchard'], total: 2 });
    expect(await ids({ limit: 1, offset: 1 })).toEqual({
      ids: ['dns'],
      total: 4,
    });
    expect(await store.areas()).toEqual(['planes', 'tenants']);
    expect(await store.areas([ORCHARD])).toEqual(['tenants']);
    expect(await store.areas([])).toEqual([]);
  });

  it("lists an entity's packets by link or by area and subject prefix, taking _ and % literally", async () => {
    const { store } = await setUp(databaseId);
    await store.save(
      packet('linked', {
        area: 'ops',
        subject: 'anything',
        entityRefs: ['component:default/minio'],
      }),
      [],
    );
    await store.save(packet('exact', { area: 'planes', subject: 'minio' }), []);
    await store.save(
      packet('below', { area: 'planes', subject: 'minio/node-1' }),
      [],
    );
    await store.save(
      packet('sibling', { area: 'planes', subject: 'minio2' }),
      [],
    );
    await store.save(
      packet('wild', { area: 'planes', subject: 'm_nio/x' }),
      [],
    );
    const { items } = await store.list({
      ...page,
      entity: {
        ref: 'component:default/minio',
        prefixes: [{ area: 'planes', subjectPrefix: 'minio' }],
      },
    });
    expect(items.map(p => p.id).sort()).toEqual(['below', 'exact', 'linked']);
    const underscore = await store.list({
      ...page,
      entity: {
        ref: 'component:default/none',
        prefixes: [{ area: 'planes', subjectPrefix: 'm_nio' }],
      },
    });
    expect(underscore.items.map(p => p.id)).toEqual(['wild']);
  });
});
