import {
  Decision,
  GateReason,
  GateResult,
  PacketResolution,
  Proposal,
  ProposalState,
} from '@internal/plugin-approvals-common';
import { addMs, toIso } from '../database/time';
import { checkChangeWindows } from './changeWindows';
import { EnvironmentRules } from './rules';

/**
 * The gate policy: pure functions of a proposal, its decisions, its environment's rules and
 * the time. No database and no clock, so each rule is unit-tested on its own; GateService
 * feeds them what it reads, and the commands (apply, expire) ask the same functions.
 */

/** Why applying a proposal is or is not allowed at a moment. */
export interface ApplyAssessment {
  reasons: GateReason[];
  /** How each evidence packet reference resolved (when the gate checked them). */
  packets?: PacketResolution[];
  validApprovals: string[];
  rules: EnvironmentRules;
}

/** Distinct approvers whose approval is still valid at `now` (ISO text). */
export function validApprovers(decisions: Decision[], now: string): string[] {
  return [
    ...new Set(
      decisions
        .filter(d => d.kind === 'approval' && (d.expiresAt ?? '') > now)
        .map(d => d.actor),
    ),
  ];
}

function terminalReason(proposal: Proposal): GateReason | undefined {
  const reasons: Partial<Record<ProposalState, GateReason>> = {
    rejected: {
      code: 'rejected',
      message: `proposal ${proposal.id} was rejected`,
    },
    withdrawn: {
      code: 'withdrawn',
      message: `proposal ${proposal.id} was withdrawn`,
    },
    expired: { code: 'expired', message: `proposal ${proposal.id} expired` },
    applied: {
      code: 'already-applied',
      message: `proposal ${proposal.id} is already applied (${proposal.appliedReference})`,
    },
    verified: {
      code: 'already-applied',
      message: `proposal ${proposal.id} is already applied and verified (${proposal.appliedReference})`,
    },
    'rolled-back': {
      code: 'already-applied',
      message: `proposal ${proposal.id} was applied and rolled back (${proposal.rollbackReason})`,
    },
  };
  return reasons[proposal.state];
}

function approvalsReason(
  decisions: Decision[],
  valid: string[],
  required: number,
): GateReason | undefined {
  if (valid.length >= required) return undefined;
  const lapsed = new Set(
    decisions
      .filter(d => d.kind === 'approval' && !valid.includes(d.actor))
      .map(d => d.actor),
  );
  return lapsed.size > 0
    ? {
        code: 'approvals-expired',
        message: `${lapsed.size} approval(s) expired; ${valid.length} of ${required} required approvals are valid now`,
      }
    : {
        code: 'missing-approvals',
        message: `${valid.length} of ${required} required approvals`,
      };
}

/**
 * A production change is applied only inside an allow window and under signed approvals
 * (000:569). Configured environments are checked at start-up (rules.ts); this covers an
 * environment that counts as production by its name but has no configuration. Not
 * overridable: the fix is configuration, not an exception.
 */
export function productionReasons(rules: EnvironmentRules): GateReason[] {
  if (!rules.production) return [];
  const reasons: GateReason[] = [];
  if (!rules.changeWindows.some(w => w.kind === 'allow')) {
    reasons.push({
      code: 'no-change-window',
      message:
        'a production environment needs an allow change window and this one has none configured (approvals.environments.<name>.changeWindows)',
    });
  }
  if (!rules.requireSignature) {
    reasons.push({
      code: 'unsigned-production',
      message:
        'a production environment needs signed approvals and this one does not require them',
    });
  }
  return reasons;
}

/** What stands between the proposal and being applied at `now`. */
export function assessApply(
  proposal: Proposal,
  decisions: Decision[],
  rules: EnvironmentRules,
  now: Date,
): ApplyAssessment {
  const valid = validApprovers(decisions, toIso(now));
  const reasons: GateReason[] = [];
  if (proposal.state === 'rejected' && proposal.validation?.ok === false) {
    reasons.push({
      code: 'validation-failed',
      message: `proposal ${
        proposal.id
      } failed validation: ${proposal.validation.problems
        .map(p => `${p.path}: ${p.message}`)
        .join('; ')}`,
    });
  }
  const end = terminalReason(proposal);
  if (end) {
    reasons.push(end);
    return { reasons, validApprovals: valid, rules };
  }
  if (proposal.state !== 'approved') {
    reasons.push({
      code: 'not-approved',
      message: `proposal ${proposal.id} is ${proposal.state}, not approved`,
    });
  }
  const approvals = approvalsReason(decisions, valid, rules.requiredApprovals);
  if (approvals) reasons.push(approvals);
  const window = checkChangeWindows(rules.changeWindows, now);
  if (!window.open) {
    reasons.push({ code: 'outside-window', message: window.message! });
  }
  reasons.push(...productionReasons(rules));
  return { reasons, validApprovals: valid, rules };
}

/** The gate's answer from an assessment. */
export function gateResult(
  proposal: Proposal,
  assessment: Pick<ApplyAssessment, 'reasons' | 'packets'>,
  now: Date,
): GateResult {
  return {
    proposalId: proposal.id,
    state: proposal.state,
    allowed: assessment.reasons.length === 0,
    reasons: assessment.reasons,
    ...(assessment.packets ? { packets: assessment.packets } : {}),
    evaluatedAt: now.toISOString(),
  };
}

/**
 * Why a proposal is due to expire at `now`, or undefined: an approved one whose valid
 * approvals fell below the requirement, an open one undecided for longer than `reviewTtlMs`.
 */
export function expiryReason(
  proposal: Proposal,
  decisions: Decision[],
  rules: EnvironmentRules,
  reviewTtlMs: number,
  now: Date,
): string | undefined {
  if (proposal.state === 'approved') {
    const valid = validApprovers(decisions, toIso(now)).length;
    return valid < rules.requiredApprovals
      ? `only ${valid} of ${rules.requiredApprovals} approvals are still valid`
      : undefined;
  }
  const deadline = addMs(new Date(proposal.submittedAt), reviewTtlMs);
  return deadline <= now ? `not decided by ${toIso(deadline)}` : undefined;
}
