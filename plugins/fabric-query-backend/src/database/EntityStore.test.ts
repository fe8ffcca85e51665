import { TestDatabases } from '@backstage/backend-test-utils';
import { plane, rule, service } from '../__testUtils__';
import { projectEntity } from '../service/projection';
import { ReadModel } from '../service/ReadModel';
import { EntityStore } from './EntityStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('EntityStore on %s', databaseId => {
  async function setUp() {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    const model = new ReadModel(db);
    return { db, model, store: new EntityStore(db) };
  }

  const base = { kind: 'plane', facts: [], limit: 100, withEntity: false };

  it('stores, replaces by ref and lists etags', async () => {
    const { model, store } = await setUp();
    await model.apply([projectEntity(plane('dns', 100))], []);
    await model.apply([projectEntity(plane('dns', 101, 'e2'))], []);
    expect(await store.etags()).toEqual(new Map([['plane:default/dns', 'e2']]));
    expect(await store.count()).toBe(1);
    expect(
      await store.find({ ...base, facts: [{ fact: 'vlan', value: '100' }] }),
    ).toEqual([]);
    expect(
      await store.find({ ...base, facts: [{ fact: 'vlan', value: '101' }] }),
    ).toEqual([
      expect.objectContaining({ ref: 'plane:default/dns', title: 'dns plane' }),
    ]);
  });

  it('answers only entities with every fact, of the kind asked, in ref order, paged', async () => {
    const { model, store } = await setUp();
    await model.apply(
      [
        projectEntity(service('b', 'minio', [['b-1', 'proxmox2']])),
        projectEntity(service('a', 'minio', [['a-1', 'proxmox2']])),
        projectEntity(service('c', 'dns', [['c-1', 'proxmox2']])),
        projectEntity(service('d', 'minio', [['d-1', 'proxmox1']])),
        // Same fact value on another kind: not a component.
        projectEntity(plane('minio', 140)),
      ],
      [],
    );
    const q = {
      ...base,
      kind: 'component',
      facts: [
        { fact: 'plane', value: 'plane:default/minio' },
        { fact: 'host', value: 'proxmox2' },
      ],
    };
    const refs = async (extra: object) =>
      (await store.find({ ...q, ...extra })).map(r => r.ref);
    expect(await refs({})).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(await refs({ limit: 1 })).toEqual(['component:default/a']);
    expect(await refs({ after: 'component:default/a' })).toEqual([
      'component:default/b',
    ]);
    expect(await refs({ facts: [], name: 'c', namespace: 'default' })).toEqual([
      'component:default/c',
    ]);
    expect(await refs({ facts: [], type: 'website' })).toEqual([]);
  });

  it('returns the stored entity only when asked', async () => {
    const { model, store } = await setUp();
    await model.apply([projectEntity(rule('r1', ['site-a']))], []);
    const [without] = await store.find({ ...base, kind: 'zakonrule' });
    expect(without.entity).toBeUndefined();
    const [withEntity] = await store.find({
      ...base,
      kind: 'zakonrule',
      withEntity: true,
    });
    expect(JSON.parse(withEntity.entity!).spec.governs).toEqual(['site-a']);
  });

  it('deletes an entity with its facts, and stores hundreds in one apply', async () => {
    const { db, model, store } = await setUp();
    const many = Array.from({ length: 450 }, (_, i) =>
      projectEntity(service(`svc-${i}`, 'minio', [[`h-${i}`, 'proxmox3']])),
    );
    await model.apply(many, []);
    expect(await store.count()).toBe(450);
    await model.apply(
      [],
      many.slice(0, 449).map(p => p.row.ref),
    );
    expect(await store.count()).toBe(1);
    const [{ n }] = await db('fabric_query_facts').count({ n: '*' });
    // The last service keeps its owner, plane, environment, haTier and two host facts.
    expect(Number(n)).toBe(6);
  });
});
