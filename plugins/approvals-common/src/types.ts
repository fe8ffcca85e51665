import type { ChangeWindowSchedule } from './rules';
import type { FabricProblem } from '@internal/plugin-fabric-common';
import type { EvidenceLink, PacketRef, ProposalType } from './schemas';
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
  /** Evidence packet references the gate resolves. */
  packets?: PacketRef[];
  supersedes?: string;
  changeRef?: string;
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
  /** The operator who applied it and the packet of the apply run. */
  appliedBy?: string;
  appliedPacket?: string;
  verifiedAt?: string;
  verifiedBy?: string;
  verifiedPacket?: string;
  rolledBackAt?: string;
  rolledBackBy?: string;
  rollbackReason?: string;
  rollbackPacket?: string;
  /** Set when no verify arrived within the configured time after apply. */
  verifyOverdueAt?: string;
}

/** How one evidence packet reference resolved at a moment (recorded in the audit). */
export interface PacketResolution {
  packetId: string;
  /** The kind the proposal cites the packet as. */
  kind?: string;
  /** The kind the packet declares itself (its signed packet.json `kind`), when it does. */
  declaredKind?: string;
  /** `ok`, or why the reference does not count. */
  outcome:
    | 'ok'
    | 'missing'
    | 'unverified'
    | 'foreign'
    | 'kind-mismatch'
    | 'stale'
    | 'unavailable';
  verdict?: string;
  tenant?: string;
  timestamp?: string;
  message: string;
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
    | 'no-change-window'
    | 'unsigned-production'
    | 'rejected'
    | 'withdrawn'
    | 'expired'
    | 'already-applied'
    | 'evidence-missing'
    | 'evidence-unresolved'
    | 'evidence-kind-missing'
    | 'drift-fail';
  message: string;
}

export interface GateResult {
  proposalId: string;
  state: ProposalState;
  allowed: boolean;
  reasons: GateReason[];
  /** How each evidence packet reference of the proposal resolved. */
  packets?: PacketResolution[];
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
    | 'packets'
    | 'supersedes'
    | 'changeRef'
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
    // Only present when set, so digests of proposals without packets stay as they were.
    ...(p.packets && p.packets.length > 0 ? { packets: p.packets } : {}),
    supersedes: p.supersedes,
    // Only present when set, so digests of proposals without one stay as they were.
    ...(p.changeRef ? { changeRef: p.changeRef } : {}),
    submittedAt: p.submittedAt,
  };
}

/** The rules that apply to a proposal's environment, as the API shows them. */
export interface ProposalRules {
  production: boolean;
  requiredApprovals: number;
  requireSignature: boolean;
  approvalTtlMs: number;
  /** The allow and deny windows of the environment (deny wins). */
  changeWindows?: ChangeWindowSchedule[];
  /**
   * Packet kinds a promotion into the environment must cite: for each, a packet that resolved
   * `ok` and declares that kind itself (approvals.environments.<name>.promotionPacketKinds).
   */
  promotionPacketKinds?: string[];
}

export interface ProposalClaim {
  proposalId: string;
  claimant: string;
  claimedAt: string;
  expiresAt: string;
}

/** A proposal with everything its page shows. */
export interface ProposalView {
  proposal: Proposal;
  decisions: Decision[];
  claim?: ProposalClaim;
  rules: ProposalRules;
  gate: GateResult;
}

/** Proposals per state, and what waits for the caller, under the list's filters. */
export interface ProposalCounts {
  /** Every state the caller's filters match (tenant, environment, type, search), state left out. */
  byState: Partial<Record<ProposalState, number>>;
  /** What the caller may claim or approve now, under the same filters. */
  waitingForMe: number;
}

/** One page of `GET /proposals`. */
export interface ProposalPage {
  items: Proposal[];
  /** All proposals the query matches, not only this page. */
  total: number;
  limit: number;
  offset: number;
  counts: ProposalCounts;
}

/** One record of the hash-chained audit log. */
export interface AuditRecord {
  seq: number;
  id: string;
  proposalId?: string;
  action: string;
  actor: string;
  at: string;
  reason?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditChainVerification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; id?: string; reason: string };
}
