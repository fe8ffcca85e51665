import { createPermission } from '@backstage/plugin-permission-common';

/** Read proposals, their decisions and validation results. */
export const approvalsProposalReadPermission = createPermission({
  name: 'approvals.proposal.read',
  attributes: { action: 'read' },
});

/** Submit a proposal (or one that supersedes an earlier proposal). */
export const approvalsProposalSubmitPermission = createPermission({
  name: 'approvals.proposal.submit',
  attributes: { action: 'create' },
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

export const approvalsProposalWithdrawPermission = createPermission({
  name: 'approvals.proposal.withdraw',
  attributes: { action: 'update' },
});

/** Mark an approved proposal applied (operators only). */
export const approvalsProposalApplyPermission = createPermission({
  name: 'approvals.proposal.apply',
  attributes: { action: 'update' },
});

/** Read the audit log and verify its hash chain. */
export const approvalsAuditReadPermission = createPermission({
  name: 'approvals.audit.read',
  attributes: { action: 'read' },
});

/** Ask the gate whether a proposal may be applied now (CI). */
export const approvalsGateReadPermission = createPermission({
  name: 'approvals.gate.read',
  attributes: { action: 'read' },
});

export const approvalsPermissions = [
  approvalsProposalReadPermission,
  approvalsProposalSubmitPermission,
  approvalsProposalClaimPermission,
  approvalsProposalApprovePermission,
  approvalsProposalRejectPermission,
  approvalsProposalWithdrawPermission,
  approvalsProposalApplyPermission,
  approvalsAuditReadPermission,
  approvalsGateReadPermission,
];
