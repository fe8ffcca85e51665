import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Proposals are tenant-scoped resources: the permission policy answers
 * tenant members with a condition on the proposal's tenant.
 */
export const APPROVALS_PROPOSAL_RESOURCE_TYPE = 'approvals-proposal';

/** Read proposals, their decisions, validation results and audit trail. */
export const approvalsProposalReadPermission = createPermission({
  name: 'approvals.proposal.read',
  attributes: { action: 'read' },
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
});

/** Submit a proposal (or one that supersedes an earlier proposal) for a tenant. */
export const approvalsProposalCreatePermission = createPermission({
  name: 'approvals.proposal.create',
  attributes: { action: 'create' },
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
});

/** Withdraw an open proposal (the requester, or an operator). */
export const approvalsProposalWithdrawPermission = createPermission({
  name: 'approvals.proposal.withdraw',
  attributes: { action: 'update' },
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
});

/** Take the exclusive review lease on a proposal. */
export const approvalsProposalClaimPermission = createPermission({
  name: 'approvals.proposal.claim',
  attributes: { action: 'update' },
});

export const approvalsProposalApprovePermission = createPermission({
  name: 'approvals.proposal.approve',
  attributes: { action: 'update' },
});

export const approvalsProposalRejectPermission = createPermission({
  name: 'approvals.proposal.reject',
  attributes: { action: 'update' },
});

/** Mark an approved proposal applied (operators only; never CI). */
export const approvalsProposalApplyPermission = createPermission({
  name: 'approvals.proposal.apply',
  attributes: { action: 'update' },
});

/** Ask the gate whether a proposal may be applied now (CI, operators, the tenant). */
export const approvalsGateReadPermission = createPermission({
  name: 'approvals.gate.read',
  attributes: { action: 'read' },
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
});

/** Verify the whole audit hash chain (it spans every tenant). */
export const approvalsAuditVerifyPermission = createPermission({
  name: 'approvals.audit.verify',
  attributes: { action: 'read' },
});

export const approvalsPermissions = [
  approvalsProposalReadPermission,
  approvalsProposalCreatePermission,
  approvalsProposalWithdrawPermission,
  approvalsProposalClaimPermission,
  approvalsProposalApprovePermission,
  approvalsProposalRejectPermission,
  approvalsProposalApplyPermission,
  approvalsGateReadPermission,
  approvalsAuditVerifyPermission,
];
