import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Decision, Proposal } from '@internal/plugin-approvals-common';
import { ClaimStore } from '../database/ClaimStore';
import { DecisionStore } from '../database/DecisionStore';
import { applyMigrations } from '../database/migrations';
import { ProposalStore } from '../database/ProposalStore';

/**
 * Rows for the store tests: a stored proposal and decision as the service would write them,
 * with every optional field filled so a column the store forgets shows up in the comparison.
 */
export function storedProposal(
  id: string,
  overrides: Partial<Proposal> = {},
): Proposal {
  return {
    id,
    tenant: 'tenant:default/project-birds',
    type: 'binding-change',
    environment: 'resource:default/samakia-prod',
    title: `Proposal ${id}`,
    change: { action: 'add', binding: { workload: 'worker' } },
    requester: 'user:default/bea.birds',
    evidence: [{ title: 'Acceptance', url: 'https://evidence.example/p-1' }],
    packets: [
      {
        packetId: '22222222-2222-4222-8222-222222222222',
        kind: 'eval-report',
        note: 'https://ci.example/job/1',
      },
    ],
    supersedes: undefined,
    changeRef: `mr!${id}`,
    submittedAt: '2026-01-01T09:00:00.000Z',
    digest: 'a'.repeat(64),
    state: 'validated',
    version: 1,
    updatedAt: '2026-01-01T09:00:00.000Z',
    supersededBy: undefined,
    validation: {
      ok: true,
      checkedAt: '2026-01-01T09:00:00.000Z',
      problems: [],
    },
    appliedReference: undefined,
    appliedAt: undefined,
    ...overrides,
  };
}

export function storedDecision(
  id: string,
  proposalId: string,
  overrides: Partial<Decision> = {},
): Decision {
  return {
    id,
    proposalId,
    kind: 'approval',
    actor: 'user:default/olivia.operator',
    decidedAt: '2026-01-01T10:00:00.000Z',
    expiresAt: '2026-01-04T10:00:00.000Z',
    reason: 'Checked',
    signature: '-----BEGIN PGP SIGNATURE-----',
    signingKeyFingerprint: 'F'.repeat(40),
    overrideReason: undefined,
    overrideTrackingRef: undefined,
    ...overrides,
  };
}

/**
 * A migrated database of the store tests with the proposal, decision and claim stores on it, and
 * `insert` writing proposals in one transaction, as the service does.
 */
export async function openStores(databases: TestDatabases, id: TestDatabaseId) {
  const db = await databases.init(id);
  await applyMigrations(db);
  const store = new ProposalStore(db);
  const insert = (...proposals: Proposal[]) =>
    db.transaction(async tx => {
      for (const p of proposals) await store.insert(tx, p);
    });
  return {
    db,
    store,
    decisions: new DecisionStore(db),
    claims: new ClaimStore(db),
    insert,
  };
}
