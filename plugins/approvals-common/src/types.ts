import type { FabricProblem } from '@internal/plugin-fabric-common';
import type { EvidenceLink, ProposalType } from './schemas';
import type { ProposalState } from './states';

/** Outcome of the automatic validation of a proposal. */
export interface ProposalValidation {
  ok: boolean;
  checkedAt: string;
  problems: FabricProblem[];
}

/** A stored proposal. Everything but the state fields is immutable. */
export interface Proposal {
  id: string;
  tenant: string;
  type: ProposalType;
  environment: string;
  title: string;
  change: Record<string, unknown>;
  requester: string;
  evidence: EvidenceLink[];
  supersedes?: string;
  submittedAt: string;
  /** sha256 (hex) of the canonical JSON of {@link proposalDigestContent}. */
  digest: string;
  state: ProposalState;
  version: number;
  updatedAt: string;
  supersededBy?: string;
  validation?: ProposalValidation;
  appliedReference?: string;
  appliedAt?: string;
}

export type DecisionKind = 'approval' | 'rejection';

export interface Decision {
  id: string;
  proposalId: string;
  kind: DecisionKind;
  actor: string;
  decidedAt: string;
  /** Approvals only: when the approval lapses. */
  expiresAt?: string;
  reason?: string;
  signature?: string;
  signingKeyFingerprint?: string;
  overrideReason?: string;
  overrideTrackingRef?: string;
}

export interface GateReason {
  code:
    | 'not-approved'
    | 'validation-failed'
    | 'missing-approvals'
    | 'approvals-expired'
    | 'outside-window'
    | 'rejected'
    | 'withdrawn'
    | 'expired'
    | 'already-applied';
  message: string;
}

export interface GateResult {
  proposalId: string;
  state: ProposalState;
  allowed: boolean;
  reasons: GateReason[];
  evaluatedAt: string;
}

/** The immutable part of a proposal that its digest (and signatures) cover. */
export function proposalDigestContent(
  p: Pick<
    Proposal,
    | 'id'
    | 'tenant'
    | 'type'
    | 'environment'
    | 'title'
    | 'change'
    | 'requester'
    | 'evidence'
    | 'supersedes'
    | 'submittedAt'
  >,
) {
  return {
    id: p.id,
    tenant: p.tenant,
    type: p.type,
    environment: p.environment,
    title: p.title,
    change: p.change,
    requester: p.requester,
    evidence: p.evidence,
    supersedes: p.supersedes,
    submittedAt: p.submittedAt,
  };
}
