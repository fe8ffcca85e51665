import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Proposal } from '@internal/plugin-approvals-common';
import {
  openStores,
  storedDecision,
  storedProposal,
} from '../__testUtils__/storeFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';
const OLIVIA = 'user:default/olivia.operator';
const OSCAR = 'user:default/oscar.operator';
const NOW = '2026-01-02T12:00:00.000Z';

/** The queue's questions: search, type, counts and "waiting for me". */
describe.each(databases.eachSupportedId())(
  'ProposalStore queue on %s',
  databaseId => {
    async function setUp(id: TestDatabaseId) {
      const stores = await openStores(databases, id);
      const { insert } = stores;
      await insert(
        storedProposal('a1', { title: 'Add DNS worker', state: 'validated' }),
        storedProposal('a2', {
          title: '100% capacity_up',
          type: 'capacity-change',
          state: 'in-review',
          submittedAt: '2026-01-01T09:01:00.000Z',
        }),
        storedProposal('a3', {
          title: 'Own change',
          requester: OLIVIA,
          state: 'validated',
          submittedAt: '2026-01-01T09:02:00.000Z',
        }),
        storedProposal('a4', {
          title: 'Old approved',
          state: 'approved',
          submittedAt: '2026-01-01T08:00:00.000Z',
        }),
        storedProposal('o1', {
          tenant: ORCHARD,
          title: 'Orchard DNS',
          state: 'validated',
          requester: 'user:default/otto.orchard',
          submittedAt: '2026-01-01T09:03:00.000Z',
        }),
      );
      return stores;
    }
    const ids = (ps: Proposal[]) => ps.map(p => p.id).sort();

    it('searches title, tenant and the start of the id, case-insensitively, % and _ literal', async () => {
      const { store } = await setUp(databaseId);
      expect(ids(await store.list({ search: 'dns' }))).toEqual(['a1', 'o1']);
      expect(ids(await store.list({ search: 'ORCHARD' }))).toEqual(['o1']);
      expect(ids(await store.list({ search: 'a' }))).toContain('a4');
      // The id matches from its start only: "1" is in a1 and o1 but starts neither.
      expect(await store.list({ search: 'zz' })).toEqual([]);
      expect(ids(await store.list({ search: '100%' }))).toEqual(['a2']);
      expect(ids(await store.list({ search: 'y_u' }))).toEqual(['a2']);
      // "_" and "%" are not wildcards: "d_s" would match "DNS" if "_" were one.
      expect(await store.list({ search: 'd_s' })).toEqual([]);
      expect(await store.list({ search: '%' })).toHaveLength(1);
      expect(await store.count({ search: 'dns' })).toBe(2);
    });

    it('filters by type and counts per state inside the tenants of the caller', async () => {
      const { store } = await setUp(databaseId);
      expect(ids(await store.list({ type: 'capacity-change' }))).toEqual([
        'a2',
      ]);
      expect(await store.countByState({})).toEqual({
        validated: 3,
        'in-review': 1,
        approved: 1,
      });
      expect(await store.countByState({ tenantIn: [BIRDS] })).toEqual({
        validated: 2,
        'in-review': 1,
        approved: 1,
      });
      // Another tenant's name in the filter: nothing listed, nothing counted.
      const foreign = { tenantIn: [BIRDS], tenant: ORCHARD };
      expect(await store.list(foreign)).toEqual([]);
      expect(await store.count(foreign)).toBe(0);
      expect(await store.countByState(foreign)).toEqual({});
      expect(await store.count({ tenantIn: [], search: 'orchard' })).toBe(0);
      expect(await store.count({ none: true })).toBe(0);
      expect(await store.list({ none: true })).toEqual([]);
    });

    it('leaves out of "waiting for me" what I approved, my own, and what somebody else claims', async () => {
      const { db, store, decisions, claims } = await setUp(databaseId);
      const waiting = (viewer: string) => ({
        stateIn: ['validated' as const, 'in-review' as const],
        notRequester: viewer,
        notApprovedBy: viewer,
        notClaimedByOthers: { claimant: viewer, now: NOW },
      });
      expect(ids(await store.list(waiting(OLIVIA)))).toEqual([
        'a1',
        'a2',
        'o1',
      ]);
      await db.transaction(async tx => {
        await decisions.insert(
          tx,
          storedDecision('d1', 'a2', { actor: OLIVIA }),
        );
        // Oscar's live claim hides o1 from Olivia, not from Oscar.
        await claims.acquire(tx, {
          proposalId: 'o1',
          claimant: OSCAR,
          claimedAt: '2026-01-02T11:50:00.000Z',
          expiresAt: '2026-01-02T12:20:00.000Z',
        });
        // An expired claim of Oscar's on a1 hides nothing.
        await claims.acquire(tx, {
          proposalId: 'a1',
          claimant: OSCAR,
          claimedAt: '2026-01-02T10:00:00.000Z',
          expiresAt: '2026-01-02T10:30:00.000Z',
        });
      });
      expect(ids(await store.list(waiting(OLIVIA)))).toEqual(['a1']);
      expect(await store.count(waiting(OLIVIA))).toBe(1);
      expect(ids(await store.list(waiting(OSCAR)))).toEqual([
        'a1',
        'a2',
        'a3',
        'o1',
      ]);
      expect(
        await store.count({ ...waiting(OSCAR), tenantIn: [ORCHARD] }),
      ).toBe(1);
    });

    it('pages in a stable order: newest first, no row twice or missed', async () => {
      const { store } = await setUp(databaseId);
      const pages = [];
      for (let offset = 0; offset < 6; offset += 2) {
        pages.push(...(await store.list({ limit: 2, offset })));
      }
      expect(pages.map(p => p.id)).toEqual(['o1', 'a3', 'a2', 'a1', 'a4']);
      expect(await store.count({ limit: 2, offset: 4 })).toBe(5);
    });
  },
);
