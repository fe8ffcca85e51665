import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { plane, rule, service, tenant } from '../__testUtils__';
import { EntityQuery } from '../database/EntityStore';
import { applyMigrations } from '../database/migrations';
import { projectEntity } from './projection';
import { ReadModel } from './ReadModel';
import { ReadModelIndex } from './ReadModelIndex';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ENTITIES = [
  plane('minio', 140),
  plane('dns', 100),
  plane('dns-edge', 140),
  service('minio', 'minio', [['minio-1', 'proxmox2']]),
  service('minio-console', 'minio', [['minio-2', 'proxmox2']]),
  service('postgresql', 'data-services', [['pg-1', 'proxmox3']]),
  tenant('project-birds', 'group:default/team-birds', ['postgres']),
  tenant('project-orchard', 'group:default/team-orchard', ['postgres']),
  rule('site-rule', ['alai-home-web']),
  rule('old-rule', ['alai-home-web'], 'retired'),
].map(e => projectEntity(e));

const QUERIES: Array<Omit<EntityQuery, 'withEntity'>> = [
  { kind: 'plane', facts: [], limit: 100 },
  { kind: 'plane', facts: [{ fact: 'vlan', value: '140' }], limit: 100 },
  {
    kind: 'plane',
    type: 'network',
    facts: [],
    limit: 1,
    after: 'plane:default/dns',
  },
  {
    kind: 'component',
    facts: [{ fact: 'host', value: 'proxmox2' }],
    limit: 100,
  },
  {
    kind: 'component',
    facts: [
      { fact: 'host', value: 'proxmox2' },
      { fact: 'plane', value: 'plane:default/minio' },
    ],
    limit: 1,
  },
  {
    kind: 'component',
    namespace: 'default',
    name: 'minio',
    facts: [],
    limit: 100,
  },
  {
    kind: 'component',
    namespace: 'default',
    name: 'nothing',
    facts: [],
    limit: 100,
  },
  {
    kind: 'tenant',
    facts: [{ fact: 'consumes', value: 'postgres' }],
    limit: 100,
  },
  {
    kind: 'zakonrule',
    facts: [{ fact: 'status', value: 'active' }],
    limit: 100,
  },
  {
    kind: 'zakonrule',
    facts: [{ fact: 'status', value: 'unknown' }],
    limit: 100,
  },
  // A fact of another kind never answers for this kind.
  { kind: 'tenant', facts: [{ fact: 'vlan', value: '140' }], limit: 100 },
];

async function setUp(id: TestDatabaseId) {
  const db = await databases.init(id);
  await applyMigrations(db);
  const readModel = new ReadModel(db);
  await readModel.apply(ENTITIES, []);
  return { db, readModel };
}

describe.each(databases.eachSupportedId())('ReadModelIndex on %s', id => {
  it('answers every question exactly as the tables do, page by page', async () => {
    const { readModel } = await setUp(id);
    const index = new ReadModelIndex(readModel, { maxAgeMs: 10_000 });
    expect(await index.refresh()).toBe(true);
    for (const query of QUERIES) {
      const q = { ...query, withEntity: false };
      expect(await index.find(q)).toEqual(await readModel.entities.find(q));
    }
    // Paging one by one through the planes gives each once, in ref order.
    const refs: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await index.find({
        kind: 'plane',
        facts: [],
        limit: 1,
        after,
        withEntity: false,
      });
      if (!page.length) break;
      refs.push(page[0].ref);
      after = page[0].ref;
    }
    expect(refs).toEqual([
      'plane:default/dns',
      'plane:default/dns-edge',
      'plane:default/minio',
    ]);
  });

  it('reloads only when the version moved, and then sees changes and deletions', async () => {
    const { readModel } = await setUp(id);
    const index = new ReadModelIndex(readModel, { maxAgeMs: 10_000 });
    await index.refresh();
    expect(await index.refresh()).toBe(false);
    const vlan = async (n: number) =>
      (
        await index.find({
          kind: 'plane',
          facts: [{ fact: 'vlan', value: String(n) }],
          limit: 10,
          withEntity: false,
        })
      ).map(r => r.ref);
    await readModel.apply([projectEntity(plane('minio', 141, 'e2'))], []);
    expect(await index.refresh()).toBe(true);
    expect(await vlan(140)).toEqual(['plane:default/dns-edge']);
    expect(await vlan(141)).toEqual(['plane:default/minio']);
    await readModel.apply([], ['plane:default/minio']);
    expect(await index.refresh()).toBe(true);
    expect(await vlan(141)).toEqual([]);
  });

  it('reads the stored entity for permission conditions', async () => {
    const { readModel } = await setUp(id);
    const index = new ReadModelIndex(readModel, { maxAgeMs: 10_000 });
    await index.refresh();
    const [row] = await index.find({
      kind: 'tenant',
      namespace: 'default',
      name: 'project-birds',
      facts: [],
      limit: 10,
      withEntity: true,
    });
    expect(JSON.parse(row.entity!).metadata.name).toBe('project-birds');
  });

  it('answers from the tables when its snapshot is older than maxAgeMs', async () => {
    const { db, readModel } = await setUp(id);
    let clock = 1_000_000;
    const index = new ReadModelIndex(readModel, {
      maxAgeMs: 10_000,
      now: () => clock,
    });
    await index.refresh();
    // A change the index has not loaded (its refresh is failing, say).
    await readModel.apply([projectEntity(plane('dns', 142, 'e2'))], []);
    const query = {
      kind: 'plane',
      facts: [{ fact: 'vlan', value: '142' }],
      limit: 10,
      withEntity: false,
    };
    clock += 10_000;
    expect(await index.find(query)).toEqual([]);
    clock += 1;
    expect((await index.find(query)).map(r => r.ref)).toEqual([
      'plane:default/dns',
    ]);
    // The tables stay the source: dropping the snapshot loses nothing.
    const [{ n }] = await db('fabric_query_entities').count({ n: '*' });
    expect(Number(n)).toBe(ENTITIES.length);
  });
});

describe('ReadModelIndex on two replicas of one PostgreSQL', () => {
  it('a change stored by one replica is answered by the other after its next check', async () => {
    const { db, readModel } = await setUp('POSTGRES_15');
    const other = knexFactory(db.client.config);
    try {
      const index = new ReadModelIndex(new ReadModel(other), {
        maxAgeMs: 10_000,
      });
      await index.refresh();
      await readModel.apply([projectEntity(plane('dns', 143, 'e2'))], []);
      await index.refresh();
      const found = await index.find({
        kind: 'plane',
        facts: [{ fact: 'vlan', value: '143' }],
        limit: 10,
        withEntity: false,
      });
      expect(found.map(r => r.ref)).toEqual(['plane:default/dns']);
    } finally {
      await other.destroy();
    }
  });
});
