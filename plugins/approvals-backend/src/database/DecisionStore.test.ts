import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { storedDecision, storedProposal } from '../__testUtils__/storeFixtures';
import { DecisionStore } from './DecisionStore';
import { applyMigrations } from './migrations';
import { ProposalStore } from './ProposalStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

describe.each(databases.eachSupportedId())(
  'DecisionStore on %s',
  databaseId => {
    async function setUp(id: TestDatabaseId) {
      const db = await databases.init(id);
      await applyMigrations(db);
      const proposals = new ProposalStore(db);
      await db.transaction(async tx => {
        await proposals.insert(tx, storedProposal('p1'));
        await proposals.insert(tx, storedProposal('p2'));
      });
      return { db, store: new DecisionStore(db) };
    }

    it('stores approvals and rejections and lists them per proposal, oldest first', async () => {
      const { db, store } = await setUp(databaseId);
      const approval = storedDecision('d2', 'p1', {
        decidedAt: '2026-01-01T10:00:00.000Z',
        overrideReason: 'Outside the window: incident INC-1',
        overrideTrackingRef: 'INC-1',
      });
      const rejection = storedDecision('d1', 'p1', {
        kind: 'rejection',
        actor: 'user:default/oscar.operator',
        decidedAt: '2026-01-01T11:00:00.000Z',
        expiresAt: undefined,
        signature: undefined,
        signingKeyFingerprint: undefined,
      });
      // Same time as d2: ordered by id.
      const tie = storedDecision('d0', 'p1', {
        decidedAt: '2026-01-01T10:00:00.000Z',
      });
      await db.transaction(async tx => {
        await store.insert(tx, rejection);
        await store.insert(tx, approval);
        await store.insert(tx, tie);
        await store.insert(tx, storedDecision('x', 'p2'));
      });
      expect(await store.listForProposal('p1')).toEqual([
        tie,
        approval,
        rejection,
      ]);
      expect(await store.listForProposal('missing')).toEqual([]);
    });

    it('refuses a decision id twice; a failed transaction leaves no decision', async () => {
      const { db, store } = await setUp(databaseId);
      await db.transaction(tx => store.insert(tx, storedDecision('d1', 'p1')));
      await expect(
        db.transaction(async tx => {
          await store.insert(tx, storedDecision('d2', 'p1'));
          await store.insert(tx, storedDecision('d1', 'p2'));
        }),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);
      expect((await store.listForProposal('p1')).map(d => d.id)).toEqual([
        'd1',
      ]);
      expect(await store.listForProposal('p2')).toEqual([]);
    });

    it('reads decisions inside the transaction that wrote them', async () => {
      const { db, store } = await setUp(databaseId);
      await expect(
        db.transaction(async tx => {
          await store.insert(tx, storedDecision('d1', 'p1'));
          expect(
            (await store.listForProposal('p1', tx)).map(d => d.id),
          ).toEqual(['d1']);
          throw new Error('the audit append failed');
        }),
      ).rejects.toThrow('the audit append failed');
      expect(await store.listForProposal('p1')).toEqual([]);
    });
  },
);
