import { randomUUID } from 'node:crypto';
import {
  ApplyRequest,
  ApproveRequest,
  Decision,
  Proposal,
  ProposalListQuery,
  ProposalPage,
  ProposalSubmission,
  ProposalView,
  RejectRequest,
  RollbackRequest,
  VerifyRequest,
  WithdrawRequest,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { AuditStore } from '../database/AuditStore';
import { Claim, ClaimStore } from '../database/ClaimStore';
import { DecisionStore } from '../database/DecisionStore';
import { ProposalStore } from '../database/ProposalStore';
import { Actor, Clock, systemClock } from './actors';
import { CatalogLookup } from './catalogChecks';
import { CommandContext } from './commandContext';
import { GateService } from './GateService';
import { AfterApplyCommands } from './afterApplyCommands';
import { LifecycleCommands } from './lifecycleCommands';
import { ProposalNotifier, silentNotifier } from './notifier';
import { DriftReader, EvidenceChecks, PacketResolver } from './packetEvidence';
import {
  ListOptions,
  ProposalDetails,
  ProposalQueries,
} from './proposalQueries';
import { ReviewCommands } from './reviewCommands';
import { ApprovalsRules } from './rules';
import { SignatureVerifier } from './signatures';
import { SubmitCommands } from './submitCommands';
import { ProposalTransitions } from './transitions';

export type { ApplyAssessment } from './gatePolicy';
export { validApprovers } from './gatePolicy';
export type { ListOptions, ProposalDetails } from './proposalQueries';
export { sha256Hex } from './submitCommands';

export interface ProposalServiceOptions {
  db: Knex;
  rules: ApprovalsRules;
  signatures: SignatureVerifier;
  /** Catalog lookups for validation; without it only the schemas are checked. */
  catalog?: CatalogLookup;
  notifier?: ProposalNotifier;
  /** The evidence index, in-process; without it no packet reference resolves. */
  packets?: PacketResolver;
  /** Drift of a promotion's target, in-process; without it promotions are blocked. */
  drift?: DriftReader;
  clock?: Clock;
  /** Id generator (uuids); injected so tests pin them. */
  ids?: () => string;
}

/**
 * The approvals service: the proposal state machine and its reads, assembled from its
 * parts. Every state change goes through {@link ProposalTransitions} (the state rules of
 * approvals-common, one transaction holding the conditional update, the rows the command
 * adds and its audit record, then the notification): of concurrent requests for the same
 * transition exactly one wins, and a failed one writes nothing.
 *
 * - ./submitCommands: submit, supersede, the automatic validation (./proposalValidation)
 * - ./reviewCommands: claim, approve, reject (who may: ./reviewGuards)
 * - ./lifecycleCommands: withdraw, expire, apply
 * - ./afterApplyCommands: verify, rollback, the overdue-verify sweep
 * - ./packetEvidence: how evidence packet references and drift are checked
 * - ./GateService with the pure ./gatePolicy; ./proposalQueries for reads
 */
export class ProposalService {
  readonly proposals: ProposalStore;
  readonly decisions: DecisionStore;
  readonly claims: ClaimStore;
  readonly audit: AuditStore;
  readonly rules: ApprovalsRules;
  /** The gate, over this service's stores and rules. */
  readonly gatekeeper: GateService;
  /** Packet and drift checks, which the gate asks. */
  readonly evidence: EvidenceChecks;
  private readonly queries: ProposalQueries;
  private readonly submitting: SubmitCommands;
  private readonly reviewing: ReviewCommands;
  private readonly lifecycle: LifecycleCommands;
  private readonly afterApply: AfterApplyCommands;

  constructor(options: ProposalServiceOptions) {
    const { db } = options;
    const clock = options.clock ?? systemClock;
    const ids = options.ids ?? randomUUID;
    this.rules = options.rules;
    this.proposals = new ProposalStore(db);
    this.decisions = new DecisionStore(db);
    this.claims = new ClaimStore(db);
    this.audit = new AuditStore(db);
    this.evidence = new EvidenceChecks({
      packets: options.packets,
      drift: options.drift,
      maxAgeDays: this.rules.evidenceMaxAgeDays,
    });
    this.gatekeeper = new GateService(this, clock);
    this.queries = new ProposalQueries({
      proposals: this.proposals,
      decisions: this.decisions,
      claims: this.claims,
      rules: this.rules,
      clock,
      gate: this.gatekeeper,
    });
    const ctx: CommandContext = {
      db,
      proposals: this.proposals,
      decisions: this.decisions,
      claims: this.claims,
      rules: this.rules,
      signatures: options.signatures,
      catalog: options.catalog,
      notifier: options.notifier ?? silentNotifier,
      clock,
      ids,
      transitions: new ProposalTransitions({
        db,
        proposals: this.proposals,
        audit: this.audit,
        ids,
      }),
      gatekeeper: this.gatekeeper,
      evidence: this.evidence,
    };
    this.submitting = new SubmitCommands(ctx);
    this.reviewing = new ReviewCommands(ctx);
    this.lifecycle = new LifecycleCommands(ctx);
    this.afterApply = new AfterApplyCommands(ctx);
  }

  get(id: string): Promise<ProposalDetails> {
    return this.queries.get(id);
  }

  /** Everything the proposal page shows: decisions, claim, rules and gate. */
  view(id: string): Promise<ProposalView> {
    return this.queries.view(id);
  }

  list(query: ProposalListQuery, options?: ListOptions): Promise<Proposal[]> {
    return this.queries.list(query, options);
  }

  page(query: ProposalListQuery, options?: ListOptions): Promise<ProposalPage> {
    return this.queries.page(query, options);
  }

  /** The newest proposal of a tenant for a change reference and its decisions (CI's gate question). */
  findByChangeWithDecisions(
    tenant: string,
    changeRef: string,
  ): Promise<{ proposal: Proposal; decisions: Decision[] }> {
    return this.queries.findByChangeWithDecisions(tenant, changeRef);
  }

  /** Stores a new proposal (superseding the one it names) and validates it. */
  submit(actor: Actor, input: ProposalSubmission): Promise<Proposal> {
    return this.submitting.submit(actor, input);
  }

  /** Takes the exclusive review lease; validated -> in-review on first claim. */
  claim(actor: Actor, id: string): Promise<Claim> {
    return this.reviewing.claim(actor, id);
  }

  approve(
    actor: Actor,
    id: string,
    request: ApproveRequest,
  ): Promise<Proposal> {
    return this.reviewing.approve(actor, id, request);
  }

  reject(actor: Actor, id: string, request: RejectRequest): Promise<Proposal> {
    return this.reviewing.reject(actor, id, request);
  }

  withdraw(
    actor: Actor,
    id: string,
    request: WithdrawRequest,
  ): Promise<Proposal> {
    return this.lifecycle.withdraw(actor, id, request);
  }

  /** Expires a proposal that is due (see gatePolicy's expiryReason). */
  expire(actorRef: string, id: string): Promise<Proposal> {
    return this.lifecycle.expire(actorRef, id);
  }

  /** Expires every proposal that is due; returns their ids. */
  expireDue(): Promise<string[]> {
    return this.lifecycle.expireDue();
  }

  /** Operator marks an approved proposal applied, with a reference and its packet. */
  apply(actor: Actor, id: string, request: ApplyRequest): Promise<Proposal> {
    return this.lifecycle.apply(actor, id, request);
  }

  /** Operator confirms an applied proposal with a verification packet. */
  verify(actor: Actor, id: string, request: VerifyRequest): Promise<Proposal> {
    return this.afterApply.verify(actor, id, request);
  }

  /** Operator records the rollback of an applied proposal: reason and packet. */
  rollback(
    actor: Actor,
    id: string,
    request: RollbackRequest,
  ): Promise<Proposal> {
    return this.afterApply.rollback(actor, id, request);
  }

  /** Marks applied proposals whose verify is overdue and notifies; returns their ids. */
  flagOverdueVerifies(): Promise<string[]> {
    return this.afterApply.flagOverdue();
  }
}
