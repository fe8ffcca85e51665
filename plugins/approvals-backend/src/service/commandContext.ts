import { Knex } from 'knex';
import { ClaimStore } from '../database/ClaimStore';
import { DecisionStore } from '../database/DecisionStore';
import { ProposalStore } from '../database/ProposalStore';
import { Actor, Clock } from './actors';
import { CatalogLookup } from './catalogChecks';
import { GateService } from './GateService';
import { ProposalNotifier } from './notifier';
import { EvidenceChecks } from './packetEvidence';
import { ApprovalsRules } from './rules';
import { SignatureVerifier } from './signatures';
import { ProposalTransitions } from './transitions';

/** What the proposal commands work with; built once by ProposalService. */
export interface CommandContext {
  db: Knex;
  proposals: ProposalStore;
  decisions: DecisionStore;
  claims: ClaimStore;
  rules: ApprovalsRules;
  signatures: SignatureVerifier;
  /** Catalog lookups for validation; without it only the schemas are checked. */
  catalog?: CatalogLookup;
  notifier: ProposalNotifier;
  clock: Clock;
  ids: () => string;
  transitions: ProposalTransitions;
  gatekeeper: GateService;
  evidence: EvidenceChecks;
}

/** The audit record of a change-window override, next to the decision it allowed. */
export function appendOverride(
  ctx: Pick<CommandContext, 'transitions'>,
  tx: Knex.Transaction,
  actor: Actor,
  proposalId: string,
  step: 'approve' | 'apply' | 'verify' | 'rollback',
  override: { reason: string; trackingRef: string },
  overridden: string | undefined,
  now: string,
) {
  return ctx.transitions.append(tx, {
    proposalId,
    action: 'override',
    actor: actor.userRef,
    at: now,
    reason: override.reason,
    details: {
      step,
      trackingRef: override.trackingRef,
      overridden: overridden ?? null,
    },
  });
}
