import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApplyRequest,
  RollbackRequest,
  VerifyRequest,
  ApproveRequest,
  AuditChainVerification,
  AuditRecord,
  GateResult,
  Proposal,
  ProposalClaim,
  ProposalPage,
  ProposalState,
  ProposalType,
  ProposalSubmissionInput,
  ProposalView,
  RejectRequest,
  WithdrawRequest,
} from '@internal/plugin-approvals-common';

/**
 * Filters of the proposal list. Refs may be full (`tenant:default/project-birds`) or short names;
 * the backend canonicalises them.
 */
export interface ProposalListFilter {
  tenant?: string;
  environment?: string;
  state?: ProposalState;
  requester?: string;
  type?: ProposalType;
  /** Search: part of the title or tenant, or the start of the id. */
  q?: string;
  /** `review`: waiting for me (what I may claim or approve now); `requested`: the caller's own. */
  view?: 'review' | 'requested';
  /** Page size (the backend allows at most 500) and the number of rows to skip. */
  limit?: number;
  offset?: number;
}

/** The approvals backend as the frontend sees it. */
export interface ApprovalsApi {
  /** One page of proposals with the total and the counts per state and for "waiting for me". */
  listProposals(filter?: ProposalListFilter): Promise<ProposalPage>;
  submitProposal(submission: ProposalSubmissionInput): Promise<Proposal>;
  getProposal(id: string): Promise<ProposalView>;
  getAudit(id: string): Promise<{ items: AuditRecord[] }>;
  getGate(id: string): Promise<GateResult>;
  claim(id: string): Promise<ProposalClaim>;
  approve(id: string, body: ApproveRequest): Promise<ProposalView>;
  reject(id: string, body: RejectRequest): Promise<ProposalView>;
  withdraw(id: string, body: WithdrawRequest): Promise<ProposalView>;
  apply(id: string, body: ApplyRequest): Promise<ProposalView>;
  /** The operator's verify step after apply (the apply permission). */
  verify(id: string, body: VerifyRequest): Promise<ProposalView>;
  /** The operator's record of a rollback after apply (the apply permission). */
  rollback(id: string, body: RollbackRequest): Promise<ProposalView>;
  verifyAudit(): Promise<AuditChainVerification>;
  /** The caller's registered signing key, or undefined when none is registered. */
}

export const approvalsApiRef = createApiRef<ApprovalsApi>().with({
  id: 'plugin.approvals.api',
  pluginId: 'approvals',
});
