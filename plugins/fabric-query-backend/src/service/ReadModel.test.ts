import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { plane } from '../__testUtils__';
import { applyMigrations } from '../database/migrations';
import { projectEntity } from './projection';
import { ReadModel } from './ReadModel';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('ReadModel shared by two replicas on one PostgreSQL', () => {
  it('answers a change on the other replica at once (no copy held in a process)', async () => {
    const db = await databases.init('POSTGRES_15');
    await applyMigrations(db);
    // A second replica: its own connection pool to the same database.
    const other = knexFactory(db.client.config);
    try {
      const writer = new ReadModel(db);
      const reader = new ReadModel(other);
      const vlan = async (n: number) =>
        (
          await reader.entities.find({
            kind: 'plane',
            facts: [{ fact: 'vlan', value: String(n) }],
            limit: 10,
            withEntity: false,
          })
        ).map(r => r.ref);
      expect(await vlan(140)).toEqual([]);
      await writer.apply([projectEntity(plane('minio', 140))], []);
      expect(await vlan(140)).toEqual(['plane:default/minio']);
      await writer.apply([projectEntity(plane('minio', 141, 'e2'))], []);
      expect(await vlan(140)).toEqual([]);
      expect(await vlan(141)).toEqual(['plane:default/minio']);
      await writer.apply([], ['plane:default/minio']);
      expect(await vlan(141)).toEqual([]);
    } finally {
      await other.destroy();
    }
  });
});
