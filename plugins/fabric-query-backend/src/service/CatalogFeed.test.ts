import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { plane, service, tenant } from '../__testUtils__';
import { applyMigrations } from '../database/migrations';
import { CatalogFeed } from './CatalogFeed';
import { ReadModel } from './ReadModel';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** A catalog holding `entities`, paged like the real one (cursor = offset), reads counted. */
function fakeCatalog(entities: Map<string, Entity>) {
  const byRefs: string[][] = [];
  /** Set to n: the n-th read in full (1-based) fails, as a catalog cut off mid-run would. */
  const failing = { byRefsCall: 0 };
  const catalog = {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const limit = request?.limit ?? 1000;
      const all = [...entities.values()];
      const items = all.slice(offset, offset + limit).map(e => ({
        kind: e.kind,
        metadata: {
          name: e.metadata.name,
          namespace: e.metadata.namespace,
          etag: e.metadata.etag,
        },
      }));
      return {
        items,
        totalItems: all.length,
        pageInfo:
          offset + limit < all.length
            ? { nextCursor: String(offset + limit) }
            : {},
      };
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      if (byRefs.length + 1 === failing.byRefsCall) {
        failing.byRefsCall = 0;
        throw new Error('connection reset by the catalog');
      }
      byRefs.push(request.entityRefs);
      return {
        items: request.entityRefs.map(ref => entities.get(ref)),
      };
    },
  } as unknown as CatalogService;
  return { catalog, byRefs, failing };
}

describe.each(databases.eachSupportedId())('CatalogFeed on %s', databaseId => {
  async function setUp(initial: Entity[]) {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    const entities = new Map(
      initial.map(e => [stringifyEntityRef(e).toLowerCase(), e]),
    );
    const { catalog, byRefs, failing } = fakeCatalog(entities);
    const readModel = new ReadModel(db);
    const feed = new CatalogFeed({
      catalog,
      auth: mockServices.auth(),
      readModel,
      logger: mockServices.logger.mock(),
    });
    const vlanOwner = async (vlan: number) =>
      (
        await readModel.entities.find({
          kind: 'plane',
          facts: [{ fact: 'vlan', value: String(vlan) }],
          limit: 10,
          withEntity: false,
        })
      ).map(r => r.ref);
    return { entities, feed, byRefs, failing, vlanOwner, readModel };
  }

  it('reflects an added, a changed and a deleted entity, reading only what changed', async () => {
    const { entities, feed, byRefs, vlanOwner, readModel } = await setUp([
      plane('dns', 100),
      plane('minio', 140),
      service('minio', 'minio', [['minio-1', 'proxmox1']]),
    ]);
    expect(await feed.sync()).toEqual({ catalog: 3, changed: 3, deleted: 0 });
    expect(await vlanOwner(140)).toEqual(['plane:default/minio']);

    // Nothing changed: nothing is read in full.
    byRefs.length = 0;
    expect(await feed.sync()).toEqual({ catalog: 3, changed: 0, deleted: 0 });
    expect(byRefs).toEqual([]);

    // Changed (new etag), added, deleted.
    entities.set('plane:default/minio', plane('minio', 141, 'e2'));
    const t = tenant('project-birds', 'group:default/team-birds', ['postgres']);
    entities.set('tenant:default/project-birds', t);
    entities.delete('plane:default/dns');
    expect(await feed.sync()).toEqual({ catalog: 3, changed: 2, deleted: 1 });
    expect(byRefs.flat().sort()).toEqual([
      'plane:default/minio',
      'tenant:default/project-birds',
    ]);
    expect(await vlanOwner(140)).toEqual([]);
    expect(await vlanOwner(141)).toEqual(['plane:default/minio']);
    expect(await vlanOwner(100)).toEqual([]);
    expect(await readModel.entities.count()).toBe(3);
  });

  it('repairs a read model that missed changes (a restart) with one full reconcile', async () => {
    const many = Array.from({ length: 2500 }, (_, i) =>
      service(`svc-${i}`, 'minio', [[`h-${i}`, 'proxmox2']]),
    );
    const { entities, feed, readModel } = await setUp(many);
    await feed.sync();
    expect(await readModel.entities.count()).toBe(2500);
    // A stale row the catalog never had, and a row whose etag is older than the catalog's.
    await readModel.apply(
      [
        {
          row: {
            ref: 'component:default/ghost',
            kind: 'component',
            namespace: 'default',
            name: 'ghost',
            title: null,
            type: 'service',
            etag: 'x',
            entity: '{}',
          },
          facts: [{ fact: 'host', value: 'proxmox2' }],
        },
      ],
      [],
    );
    entities.set(
      'component:default/svc-7',
      service('svc-7', 'dns', [['h-7', 'proxmox3']], 'e2'),
    );
    expect(await feed.sync()).toEqual({
      catalog: 2500,
      changed: 1,
      deleted: 1,
    });
    const onProxmox3 = await readModel.entities.find({
      kind: 'component',
      facts: [{ fact: 'host', value: 'proxmox3' }],
      limit: 10,
      withEntity: false,
    });
    expect(onProxmox3.map(r => r.ref)).toEqual(['component:default/svc-7']);
    expect(await readModel.entities.count()).toBe(2500);
  });

  it('keeps the batches a cut-off run stored, and the next run reads only the rest', async () => {
    const many = Array.from({ length: 450 }, (_, i) =>
      service(`svc-${i}`, 'minio', [[`h-${i}`, 'proxmox2']]),
    );
    const { feed, byRefs, failing, readModel } = await setUp(many);
    const versionBefore = await readModel.version.current();
    failing.byRefsCall = 2; // the second batch of 200
    await expect(feed.sync()).rejects.toThrow(
      'connection reset by the catalog',
    );
    expect(await readModel.entities.count()).toBe(200);
    // The stored batch is announced with it: replicas see it without waiting for a later run.
    const versionAfterCut = Number(await readModel.version.current());
    expect(versionAfterCut).toBeGreaterThan(Number(versionBefore));

    byRefs.length = 0;
    expect(await feed.sync()).toEqual({
      catalog: 450,
      changed: 250,
      deleted: 0,
    });
    expect(byRefs.flat()).toHaveLength(250);
    expect(await readModel.entities.count()).toBe(450);
    expect(Number(await readModel.version.current())).toBeGreaterThan(
      versionAfterCut,
    );
    // A run with nothing to do announces nothing.
    const settled = await readModel.version.current();
    expect(await feed.sync()).toEqual({ catalog: 450, changed: 0, deleted: 0 });
    expect(await readModel.version.current()).toBe(settled);
  });
});
