import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storedProposal } from '../__testUtils__/storeFixtures';
import { Claim, ClaimStore } from './ClaimStore';
import { applyMigrations } from './migrations';
import { ProposalStore } from './ProposalStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const OLIVIA = 'user:default/olivia.operator';
const OSCAR = 'user:default/oscar.operator';

const claim = (
  claimant: string,
  claimedAt: string,
  expiresAt: string,
): Claim => ({ proposalId: 'p1', claimant, claimedAt, expiresAt });

describe.each(databases.eachSupportedId())('ClaimStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    await db.transaction(tx =>
      new ProposalStore(db).insert(tx, storedProposal('p1')),
    );
    const store = new ClaimStore(db);
    const acquire = (c: Claim) => db.transaction(tx => store.acquire(tx, c));
    return { db, store, acquire };
  }

  it('grants a lease, reports it live until it expires, and renews it for the holder', async () => {
    const { store, acquire } = await setUp(databaseId);
    const first = claim(
      OLIVIA,
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
    );
    await acquire(first);
    expect(await store.find('p1')).toEqual(first);
    expect(await store.findActive('p1', '2026-01-01T10:59:59.999Z')).toEqual(
      first,
    );
    // Exactly at the expiry the lease is over.
    expect(
      await store.findActive('p1', '2026-01-01T11:00:00.000Z'),
    ).toBeUndefined();
    const renewed = claim(
      OLIVIA,
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T11:30:00.000Z',
    );
    await acquire(renewed);
    expect(await store.find('p1')).toEqual(renewed);
    expect(await store.find('missing')).toBeUndefined();
  });

  it('refuses somebody else while the lease is live, and lets them take over a lapsed one', async () => {
    const { store, acquire } = await setUp(databaseId);
    await acquire(
      claim(OLIVIA, '2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'),
    );
    await expect(
      acquire(
        claim(OSCAR, '2026-01-01T10:59:00.000Z', '2026-01-01T11:59:00.000Z'),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: `Proposal p1 is claimed by ${OLIVIA} until 2026-01-01T11:00:00.000Z`,
    });
    expect((await store.find('p1'))?.claimant).toBe(OLIVIA);
    const takeover = claim(
      OSCAR,
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    );
    await acquire(takeover);
    expect(await store.find('p1')).toEqual(takeover);
  });

  it('lets only one of two racing claimants win', async () => {
    const { store, acquire } = await setUp(databaseId);
    const results = await Promise.allSettled([
      acquire(
        claim(OLIVIA, '2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'),
      ),
      acquire(
        claim(OSCAR, '2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'),
      ),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const rejected = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(rejected?.reason).toMatchObject({ name: 'ConflictError' });
    const winner = results[0].status === 'fulfilled' ? OLIVIA : OSCAR;
    expect((await store.find('p1'))?.claimant).toBe(winner);
  });

  it('is released only by its holder', async () => {
    const { db, store, acquire } = await setUp(databaseId);
    await acquire(
      claim(OLIVIA, '2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'),
    );
    await store.release(db, 'p1', OSCAR);
    expect((await store.find('p1'))?.claimant).toBe(OLIVIA);
    await store.release(db, 'p1', OLIVIA);
    expect(await store.find('p1')).toBeUndefined();
    // Releasing what is not held is harmless.
    await store.release(db, 'p1', OLIVIA);
  });
});
