import { TestDatabases } from '@backstage/backend-test-utils';
import { FactStore } from './FactStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('FactStore on %s', databaseId => {
  it('replaces the facts of the entities given and leaves the others', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    const store = new FactStore(db);
    await db.transaction(tx =>
      store.replace(
        tx,
        new Map([
          ['plane:default/a', [{ fact: 'vlan', value: '1' }]],
          ['plane:default/b', [{ fact: 'vlan', value: '2' }]],
        ]),
      ),
    );
    await db.transaction(tx =>
      store.replace(
        tx,
        new Map([
          [
            'plane:default/a',
            [
              { fact: 'vlan', value: '3' },
              { fact: 'host', value: 'proxmox1' },
            ],
          ],
        ]),
      ),
    );
    expect(await store.forRef('plane:default/a')).toEqual([
      { fact: 'host', value: 'proxmox1' },
      { fact: 'vlan', value: '3' },
    ]);
    expect(await store.forRef('plane:default/b')).toEqual([
      { fact: 'vlan', value: '2' },
    ]);
    await db.transaction(tx => store.remove(tx, ['plane:default/b']));
    expect(await store.forRef('plane:default/b')).toEqual([]);
  });
});
