import type {
  AuditRecord,
  Proposal,
  ProposalPage,
  ProposalView,
} from '@internal/plugin-approvals-common';
import type { ApprovalsApi } from '../api/ApprovalsApi';

export const REQUESTER = 'user:default/bea.birds';
export const OPERATOR = 'user:default/ops.one';
export const DIGEST = 'ab'.repeat(32);

export function makeProposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: '0b6f4d1e-5a3c-4e59-9d0a-6f1f6a2b7c01',
    tenant: 'tenant:default/project-birds',
    type: 'binding-change',
    environment: 'resource:default/samakia-prod',
    title: 'Bind birds-api to postgres',
    change: {
      action: 'add',
      binding: {
        workload: 'birds-api',
        consumer: 'postgres',
        environment: 'resource:default/samakia-prod',
        endpoint: 'pg.birds.internal:5432',
      },
    },
    requester: REQUESTER,
    evidence: [],
    submittedAt: '2026-11-20T09:30:00.000Z',
    digest: DIGEST,
    state: 'in-review',
    version: 2,
    updatedAt: '2026-11-20T09:31:00.000Z',
    validation: {
      ok: true,
      checkedAt: '2026-11-20T09:30:01.000Z',
      problems: [],
    },
    ...overrides,
  };
}

export function makeView(overrides: Partial<ProposalView> = {}): ProposalView {
  const proposal = overrides.proposal ?? makeProposal();
  return {
    proposal,
    decisions: [],
    rules: {
      production: true,
      requiredApprovals: 2,
      requireSignature: true,
      approvalTtlMs: 86_400_000,
    },
    gate: {
      proposalId: proposal.id,
      state: proposal.state,
      allowed: false,
      reasons: [
        {
          code: 'missing-approvals',
          message: 'needs 2 approvals, has 0; ask another operator to approve',
        },
      ],
      evaluatedAt: '2026-11-20T10:00:00.000Z',
    },
    ...overrides,
  };
}

export function makeAudit(proposalId: string): AuditRecord[] {
  return [
    {
      seq: 41,
      id: 'audit-41',
      proposalId,
      action: 'proposal.submitted',
      actor: REQUESTER,
      at: '2026-11-20T09:30:00.000Z',
      details: {},
      prevHash: '0'.repeat(64),
      hash: 'c0ffee'.padEnd(64, '1'),
    },
    {
      seq: 42,
      id: 'audit-42',
      proposalId,
      action: 'proposal.validated',
      actor: 'system:approvals',
      at: '2026-11-20T09:30:01.000Z',
      details: { ok: true },
      prevHash: 'c0ffee'.padEnd(64, '1'),
      hash: 'decade'.padEnd(64, '2'),
    },
  ];
}

/** A fake of the client interface; each method is a jest mock with a useful default. */
export function fakeApprovalsApi(
  overrides: Partial<{ [K in keyof ApprovalsApi]: jest.Mock }> = {},
): { [K in keyof ApprovalsApi]: jest.Mock } & ApprovalsApi {
  const view = makeView();
  const api = {
    listProposals: jest.fn(async () => pageOf([view.proposal])),
    submitProposal: jest.fn(async () => view.proposal),
    getProposal: jest.fn(async () => view),
    getAudit: jest.fn(async (id: string) => ({ items: makeAudit(id) })),
    getGate: jest.fn(async () => view.gate),
    claim: jest.fn(async (id: string) => ({
      proposalId: id,
      claimant: OPERATOR,
      claimedAt: '2026-11-20T10:00:00.000Z',
      expiresAt: '2026-11-20T11:00:00.000Z',
    })),
    approve: jest.fn(async () => view),
    reject: jest.fn(async () => view),
    withdraw: jest.fn(async () => view),
    apply: jest.fn(async () => view),
    verify: jest.fn(async () => view),
    rollback: jest.fn(async () => view),
    verifyAudit: jest.fn(async () => ({ ok: true, checked: 2 })),
    ...overrides,
  };
  return api;
}

/** A one-page answer of `listProposals` with its counts. */
export function pageOf(
  items: Proposal[],
  extra: Partial<Omit<ProposalPage, 'items'>> = {},
): ProposalPage {
  return {
    items,
    total: items.length,
    limit: 25,
    offset: 0,
    counts: { byState: {}, waitingForMe: 0 },
    ...extra,
  };
}
