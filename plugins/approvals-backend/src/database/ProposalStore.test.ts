import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Proposal } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import {
  openStores,
  storedDecision,
  storedProposal,
} from '../__testUtils__/storeFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';

describe.each(databases.eachSupportedId())(
  'ProposalStore on %s',
  databaseId => {
    const setUp = (id: TestDatabaseId) => openStores(databases, id);
    const ids = (ps: Proposal[]) => ps.map(p => p.id);

    it('stores a proposal and reads every field back', async () => {
      const { store, insert } = await setUp(databaseId);
      const p = storedProposal('p1');
      await insert(p);
      expect(await store.get('p1')).toEqual(p);
      const bare = storedProposal('p2', {
        changeRef: undefined,
        validation: undefined,
        evidence: [],
      });
      await insert(bare);
      expect(await store.get('p2')).toEqual(bare);
      expect(await store.find('missing')).toBeUndefined();
      await expect(store.get('missing')).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'No proposal with id missing',
      });
    });

    it('refuses an id twice and keeps the first content', async () => {
      const { store, insert } = await setUp(databaseId);
      await insert(storedProposal('p1'));
      await expect(
        insert(storedProposal('p2'), storedProposal('p1', { title: 'Other' })),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);
      expect((await store.get('p1')).title).toBe('Proposal p1');
      // The whole insert rolled back: p2 is not there either.
      expect(await store.find('p2')).toBeUndefined();
    });

    it('lists newest first, ties by id, with every filter and paging', async () => {
      const { store, decisions, db, insert } = await setUp(databaseId);
      await insert(
        storedProposal('b', { submittedAt: '2026-01-02T00:00:00.000Z' }),
        storedProposal('a', { submittedAt: '2026-01-02T00:00:00.000Z' }),
        storedProposal('old', {
          submittedAt: '2026-01-01T00:00:00.000Z',
          state: 'approved',
        }),
        storedProposal('orchard', {
          tenant: ORCHARD,
          environment: 'resource:default/samakia-staging',
          requester: 'user:default/otto.orchard',
          submittedAt: '2026-01-03T00:00:00.000Z',
          state: 'in-review',
        }),
      );
      await db.transaction(tx =>
        decisions.insert(tx, storedDecision('d1', 'a')),
      );
      expect(ids(await store.list({}))).toEqual(['orchard', 'a', 'b', 'old']);
      expect(ids(await store.list({ tenant: BIRDS }))).toEqual([
        'a',
        'b',
        'old',
      ]);
      // The permission condition: an empty list of tenants matches nothing.
      expect(await store.list({ tenantIn: [] })).toEqual([]);
      expect(ids(await store.list({ tenantIn: [ORCHARD] }))).toEqual([
        'orchard',
      ]);
      expect(
        ids(
          await store.list({ environment: 'resource:default/samakia-staging' }),
        ),
      ).toEqual(['orchard']);
      expect(ids(await store.list({ state: 'approved' }))).toEqual(['old']);
      expect(
        ids(await store.list({ stateIn: ['approved', 'in-review'] })),
      ).toEqual(['orchard', 'old']);
      expect(
        ids(await store.list({ requester: 'user:default/otto.orchard' })),
      ).toEqual(['orchard']);
      expect(
        ids(await store.list({ notRequester: 'user:default/otto.orchard' })),
      ).toEqual(['a', 'b', 'old']);
      expect(ids(await store.list({ changeRef: 'mr!b' }))).toEqual(['b']);
      expect(
        ids(
          await store.list({ notApprovedBy: 'user:default/olivia.operator' }),
        ),
      ).toEqual(['orchard', 'b', 'old']);
      expect(ids(await store.list({ limit: 2, offset: 1 }))).toEqual([
        'a',
        'b',
      ]);
    });

    it('changes state only from the expected state and version: one of two racers wins', async () => {
      const { db, store, insert } = await setUp(databaseId);
      await insert(storedProposal('p1'));
      const expected = { id: 'p1', state: 'validated', version: 1 } as const;
      await db.transaction(tx =>
        store.update(
          tx,
          expected,
          { state: 'in-review' },
          '2026-01-01T10:00:00.000Z',
        ),
      );
      // The second caller read the same version: a ConflictError, nothing changes.
      await expect(
        db.transaction(tx =>
          store.update(
            tx,
            expected,
            { state: 'withdrawn' },
            '2026-01-01T10:00:01.000Z',
          ),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('expected validated at version 1'),
      });
      await expect(
        db.transaction(tx =>
          store.update(
            tx,
            { id: 'ghost', state: 'validated', version: 1 },
            { state: 'withdrawn' },
            '2026-01-01T10:00:01.000Z',
          ),
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const after = await store.get('p1');
      expect(after).toMatchObject({
        state: 'in-review',
        version: 2,
        updatedAt: '2026-01-01T10:00:00.000Z',
      });
      // The content never changes with a transition.
      expect({
        ...after,
        state: 'validated',
        version: 1,
        updatedAt: '',
      }).toEqual({ ...storedProposal('p1'), updatedAt: '' });
    });

    it('records who applied, verified and rolled back, with their packets', async () => {
      const { db, store, insert } = await setUp(databaseId);
      await insert(storedProposal('p1', { state: 'approved', version: 1 }));
      await insert(storedProposal('p2', { state: 'applied', version: 1 }));
      const packet = '33333333-3333-4333-8333-333333333333';
      await db.transaction(async tx => {
        await store.update(
          tx,
          { id: 'p1', state: 'approved', version: 1 },
          {
            state: 'applied',
            appliedAt: '2026-01-02T00:00:00.000Z',
            appliedBy: 'user:default/olga',
            appliedPacket: packet,
          },
          '2026-01-02T00:00:00.000Z',
        );
        await store.update(
          tx,
          { id: 'p2', state: 'applied', version: 1 },
          {
            state: 'rolled-back',
            rolledBackAt: '2026-01-03T00:00:00.000Z',
            rolledBackBy: 'user:default/oscar',
            rollbackReason: 'error rate doubled',
            rollbackPacket: packet,
            verifyOverdueAt: '2026-01-02T12:00:00.000Z',
          },
          '2026-01-03T00:00:00.000Z',
        );
      });
      await db.transaction(tx =>
        store.update(
          tx,
          { id: 'p1', state: 'applied', version: 2 },
          {
            state: 'verified',
            verifiedAt: '2026-01-02T01:00:00.000Z',
            verifiedBy: 'user:default/oscar',
            verifiedPacket: packet,
          },
          '2026-01-02T01:00:00.000Z',
        ),
      );
      expect(await store.get('p1')).toMatchObject({
        state: 'verified',
        appliedBy: 'user:default/olga',
        appliedPacket: packet,
        verifiedAt: '2026-01-02T01:00:00.000Z',
        verifiedBy: 'user:default/oscar',
        verifiedPacket: packet,
      });
      expect(await store.get('p1')).not.toHaveProperty('rolledBackAt');
      expect(await store.get('p2')).toMatchObject({
        state: 'rolled-back',
        rolledBackAt: '2026-01-03T00:00:00.000Z',
        rolledBackBy: 'user:default/oscar',
        rollbackReason: 'error rate doubled',
        rollbackPacket: packet,
        verifyOverdueAt: '2026-01-02T12:00:00.000Z',
      });
    });

    it('records the lifecycle fields of a patch', async () => {
      const { db, store, insert } = await setUp(databaseId);
      await insert(storedProposal('p1', { state: 'approved', version: 4 }));
      const validation = {
        ok: false,
        checkedAt: '2026-01-02T00:00:00.000Z',
        problems: [],
      };
      await db.transaction(tx =>
        store.update(
          tx,
          { id: 'p1', state: 'approved', version: 4 },
          {
            state: 'applied',
            validation,
            supersededBy: 'p2',
            appliedReference: 'CHG-1',
            appliedAt: '2026-01-02T00:00:00.000Z',
          },
          '2026-01-02T00:00:00.000Z',
        ),
      );
      expect(await store.get('p1')).toMatchObject({
        state: 'applied',
        version: 5,
        validation,
        supersededBy: 'p2',
        appliedReference: 'CHG-1',
        appliedAt: '2026-01-02T00:00:00.000Z',
      });
    });

    it('answers the newest proposal of a tenant and change with its decisions, oldest first', async () => {
      const { db, store, decisions, insert } = await setUp(databaseId);
      await insert(
        storedProposal('first', {
          changeRef: 'mr!7',
          submittedAt: '2026-01-01T00:00:00.000Z',
        }),
        storedProposal('second', {
          changeRef: 'mr!7',
          submittedAt: '2026-01-02T00:00:00.000Z',
        }),
        // The same change reference in another tenant is another change.
        storedProposal('orchard', {
          tenant: ORCHARD,
          changeRef: 'mr!7',
          submittedAt: '2026-01-03T00:00:00.000Z',
        }),
      );
      expect(await store.latestByChangeWithDecisions(BIRDS, 'mr!7')).toEqual({
        proposal: await store.get('second'),
        decisions: [],
      });
      await db.transaction(async tx => {
        await decisions.insert(
          tx,
          storedDecision('d-late', 'second', {
            decidedAt: '2026-01-02T12:00:00.000Z',
            actor: 'user:default/oscar.operator',
          }),
        );
        await decisions.insert(
          tx,
          storedDecision('d-early', 'second', {
            decidedAt: '2026-01-02T11:00:00.000Z',
          }),
        );
        await decisions.insert(tx, storedDecision('d-other', 'first'));
      });
      const answer = await store.latestByChangeWithDecisions(BIRDS, 'mr!7');
      expect(answer?.proposal.id).toBe('second');
      expect(answer?.decisions).toEqual(
        await decisions.listForProposal('second'),
      );
      expect(answer?.decisions.map(d => d.id)).toEqual(['d-early', 'd-late']);
      expect(
        await store.latestByChangeWithDecisions(BIRDS, 'mr!none'),
      ).toBeUndefined();
    });
  },
);

// SQLite's plan is fixed by the statement's form; PostgreSQL plans by its statistics.
describe('ProposalStore gate statement on SQLite', () => {
  it('reads the newest proposal of the change through the ordered (tenant, change) index, without sorting', async () => {
    const { db, store } = await openStores(databases, 'SQLITE_3');
    // The statement the gate prepares (private: the plan is the guarantee under test).
    const { sql, bindings } = (
      store as unknown as {
        compileGateStatement(): { sql: string; bindings: unknown[] };
      }
    ).compileGateStatement();
    const values = bindings.map(b => {
      if (b === '\u0000tenant') return BIRDS;
      return b === '\u0000changeRef' ? 'mr!7' : b;
    });
    const plan = (await db.raw(
      `EXPLAIN QUERY PLAN ${sql}`,
      values as Knex.RawBinding[],
    )) as Array<{ id: number; parent: number; detail: string }>;
    // The subquery (a co-routine) that picks the proposal: its steps only.
    const subquery = plan.find(step => step.detail.startsWith('CO-ROUTINE'));
    expect(subquery).toBeDefined();
    const pickSteps = plan
      .filter(step => step.parent === subquery?.id)
      .map(step => step.detail);
    expect(pickSteps).toEqual([
      expect.stringContaining(
        'USING INDEX approvals_proposals_change_order_idx (tenant_ref=? AND change_ref=?)',
      ),
    ]);
  });
});
