import { createHash, randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ApplyRequest,
  ApproveRequest,
  Decision,
  GateReason,
  GateResult,
  Override,
  Proposal,
  ProposalListQuery,
  ProposalState,
  ProposalSubmission,
  ProposalValidation,
  ProposalView,
  RejectRequest,
  WithdrawRequest,
  canTransition,
  canonicalJson,
  isTerminalState,
  parseProposalChange,
  proposalDigestContent,
} from '@internal/plugin-approvals-common';
import {
  FabricProblem,
  TenantQuotas,
  canonicalFabricRef,
} from '@internal/plugin-fabric-common';
import { Knex } from 'knex';
import { AuditStore } from '../database/AuditStore';
import { Claim, ClaimStore } from '../database/ClaimStore';
import { DecisionStore } from '../database/DecisionStore';
import {
  ProposalFilter,
  ProposalPatch,
  ProposalStore,
} from '../database/ProposalStore';
import { addMs, toIso } from '../database/time';
import { Actor, Clock, SYSTEM_ACTOR, systemClock } from './actors';
import { checkChangeWindows } from './changeWindows';
import { CatalogLookup, checkAgainstCatalog } from './catalogChecks';
import { ProposalNotifier, silentNotifier } from './notifier';
import { ApprovalsRules, EnvironmentRules } from './rules';
import { SignatureVerifier } from './signatures';

export interface ProposalServiceOptions {
  db: Knex;
  rules: ApprovalsRules;
  signatures: SignatureVerifier;
  /** Catalog lookups for validation; without it only the schemas are checked. */
  catalog?: CatalogLookup;
  notifier?: ProposalNotifier;
  clock?: Clock;
  /** Id generator (uuids); injected so tests pin them. */
  ids?: () => string;
}

/** A proposal with its decisions, as the API returns it. */
export interface ProposalDetails {
  proposal: Proposal;
  decisions: Decision[];
  claim?: Claim;
}

/** Who lists, for the `review` and `requested` views. */
export interface ListOptions {
  viewer?: string;
  /** Only these tenants (from the permission policy); undefined means all. */
  tenants?: string[];
}

/** Why applying a proposal is or is not allowed at a moment. */
export interface ApplyAssessment {
  reasons: GateReason[];
  validApprovals: string[];
  rules: EnvironmentRules;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Distinct approvers whose approval is still valid at `now`. */
export function validApprovers(decisions: Decision[], now: string): string[] {
  return [
    ...new Set(
      decisions
        .filter(d => d.kind === 'approval' && (d.expiresAt ?? '') > now)
        .map(d => d.actor),
    ),
  ];
}

/**
 * The proposal state machine. Each transition is one transaction holding the
 * conditional update of the proposal (state + version), the rows it adds and
 * its audit record; if any part fails nothing happens, and of concurrent
 * requests for the same transition exactly one wins.
 */
export class ProposalService {
  readonly proposals: ProposalStore;
  readonly decisions: DecisionStore;
  readonly claims: ClaimStore;
  readonly audit: AuditStore;
  private readonly db: Knex;
  private readonly rules: ApprovalsRules;
  private readonly signatures: SignatureVerifier;
  private readonly catalog?: CatalogLookup;
  private readonly notifier: ProposalNotifier;
  private readonly clock: Clock;
  private readonly ids: () => string;

  constructor(options: ProposalServiceOptions) {
    this.db = options.db;
    this.rules = options.rules;
    this.signatures = options.signatures;
    this.catalog = options.catalog;
    this.notifier = options.notifier ?? silentNotifier;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomUUID;
    this.proposals = new ProposalStore(this.db);
    this.decisions = new DecisionStore(this.db);
    this.claims = new ClaimStore(this.db);
    this.audit = new AuditStore(this.db);
  }

  async get(id: string): Promise<ProposalDetails> {
    const proposal = await this.proposals.get(id);
    const decisions = await this.decisions.listForProposal(id);
    const claim = await this.claims.findActive(id, toIso(this.clock.now()));
    return { proposal, decisions, claim };
  }

  /** Everything the proposal page shows: decisions, claim, rules and gate. */
  async view(id: string): Promise<ProposalView> {
    const now = this.clock.now();
    const { proposal, decisions, claim } = await this.get(id);
    const rules = this.rules.forEnvironment(proposal.environment);
    return {
      proposal,
      decisions,
      claim,
      rules: {
        production: rules.production,
        requiredApprovals: rules.requiredApprovals,
        requireSignature: rules.requireSignature,
        approvalTtlMs: rules.approvalTtlMs,
      },
      gate: await this.gate(proposal, now),
    };
  }

  /**
   * May the proposal be applied at `now`, and if not, why not. `decisions`, when the caller
   * has just read them with the proposal, saves reading them again.
   */
  async gate(
    proposal: Proposal,
    now: Date,
    decisions?: Decision[],
  ): Promise<GateResult> {
    const { reasons } = await this.assessApply(proposal, now, decisions);
    return {
      proposalId: proposal.id,
      state: proposal.state,
      allowed: reasons.length === 0,
      reasons,
      evaluatedAt: now.toISOString(),
    };
  }

  list(
    query: ProposalListQuery,
    options: ListOptions = {},
  ): Promise<Proposal[]> {
    const filter: ProposalFilter = {
      tenant: query.tenant,
      tenantIn: options.tenants,
      environment: query.environment,
      state: query.state,
      requester: query.requester,
      changeRef: query.changeRef,
      limit: query.limit,
      offset: query.offset,
    };
    if (query.view === 'requested') {
      filter.requester = options.viewer ?? 'nobody';
    }
    if (query.view === 'review') {
      filter.stateIn = ['validated', 'in-review'];
      filter.notRequester = options.viewer;
      filter.notApprovedBy = options.viewer;
    }
    return this.proposals.list(filter);
  }

  /** The newest proposal of a tenant for a change reference (CI's gate question). */
  async findByChange(tenant: string, changeRef: string): Promise<Proposal> {
    return (await this.findByChangeWithDecisions(tenant, changeRef)).proposal;
  }

  /** {@link findByChange} and the proposal's decisions, in one database statement. */
  async findByChangeWithDecisions(
    tenant: string,
    changeRef: string,
  ): Promise<{ proposal: Proposal; decisions: Decision[] }> {
    const found = await this.proposals.latestByChangeWithDecisions(
      tenant,
      changeRef,
    );
    if (!found) {
      throw new NotFoundError(
        `No proposal of ${tenant} carries change reference ${changeRef}; submit one with changeRef set`,
      );
    }
    return found;
  }

  /**
   * Stores a new proposal, supersedes the earlier one it names and then runs
   * the automatic validation. Returns the proposal after validation.
   */
  async submit(actor: Actor, input: ProposalSubmission): Promise<Proposal> {
    if (actor.roles.includes('ci') && !actor.roles.includes('operator')) {
      throw new NotAllowedError('CI principals cannot submit proposals');
    }
    const now = toIso(this.clock.now());
    const content = {
      id: this.ids(),
      tenant: input.tenant,
      type: input.type,
      environment: input.environment,
      title: input.title,
      change: input.change,
      requester: actor.userRef,
      evidence: input.evidence,
      supersedes: input.supersedes,
      changeRef: input.changeRef,
      submittedAt: now,
    };
    const proposal: Proposal = {
      ...content,
      digest: sha256Hex(canonicalJson(proposalDigestContent(content))),
      state: 'submitted',
      version: 1,
      updatedAt: now,
    };
    await this.db.transaction(async tx => {
      await this.proposals.insert(tx, proposal);
      if (input.supersedes) {
        await this.supersede(tx, actor, input.supersedes, proposal, now);
      }
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: proposal.id,
        action: 'submitted',
        actor: actor.userRef,
        at: now,
        details: {
          digest: proposal.digest,
          type: proposal.type,
          tenant: proposal.tenant,
          environment: proposal.environment,
          supersedes: proposal.supersedes ?? null,
        },
      });
    });
    return this.validate(proposal.id);
  }

  private async supersede(
    tx: Knex.Transaction,
    actor: Actor,
    oldId: string,
    replacement: Proposal,
    now: string,
  ) {
    const old = await this.proposals.get(oldId, tx);
    if (old.tenant !== replacement.tenant) {
      throw new InputError(
        `Proposal ${oldId} is for ${old.tenant}; a proposal can only supersede one of the same tenant`,
      );
    }
    if (old.requester !== actor.userRef && !actor.roles.includes('operator')) {
      throw new NotAllowedError(
        `Only ${old.requester} or an operator can supersede proposal ${oldId}`,
      );
    }
    if (old.supersededBy) {
      throw new ConflictError(
        `Proposal ${oldId} is already superseded by ${old.supersededBy}`,
      );
    }
    if (old.state === 'applied') {
      throw new ConflictError(
        `Proposal ${oldId} is applied; submit a new proposal instead of superseding it`,
      );
    }
    const patch: ProposalPatch = { supersededBy: replacement.id };
    if (!isTerminalState(old.state)) patch.state = 'withdrawn';
    await this.proposals.update(tx, old, patch, now);
    await this.audit.append(tx, {
      id: this.ids(),
      proposalId: old.id,
      action: 'superseded',
      actor: actor.userRef,
      at: now,
      details: {
        from: old.state,
        to: patch.state ?? old.state,
        by: replacement.id,
      },
    });
  }

  /** The automatic checks: submitted -> validated, or -> rejected with reasons. */
  async validate(id: string): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    if (proposal.state !== 'submitted') {
      throw new ConflictError(
        `Proposal ${id} is ${proposal.state}; only submitted proposals are validated`,
      );
    }
    const now = toIso(this.clock.now());
    const problems = this.check(proposal);
    if (problems.length === 0 && this.catalog) {
      problems.push(...(await checkAgainstCatalog(proposal, this.catalog)));
    }
    const validation: ProposalValidation = {
      ok: problems.length === 0,
      checkedAt: now,
      problems,
    };
    const to: ProposalState = validation.ok ? 'validated' : 'rejected';
    await this.db.transaction(async tx => {
      await this.proposals.update(tx, proposal, { state: to, validation }, now);
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: id,
        action: validation.ok ? 'validated' : 'validation-failed',
        actor: SYSTEM_ACTOR,
        at: now,
        reason: validation.ok
          ? undefined
          : problems.map(p => `${p.path}: ${p.message}`).join('; '),
        details: { from: 'submitted', to, problems },
      });
    });
    const validated = await this.proposals.get(id);
    if (validation.ok) {
      await this.notifier.awaitingReview(validated, []);
    } else {
      await this.notifier.decided(
        validated,
        `Automatic validation failed: ${problems
          .map(p => `${p.path}: ${p.message}`)
          .join('; ')}`,
      );
    }
    return validated;
  }

  private check(proposal: Proposal): FabricProblem[] {
    const parsed = parseProposalChange(proposal.type, proposal.change);
    if (!parsed.success) {
      return parsed.problems.map(p => ({
        path: p.path ? `change.${p.path}` : 'change',
        message: p.message,
      }));
    }
    const problems: FabricProblem[] = [];
    const change = parsed.data as Record<string, any>;
    if (proposal.type === 'capacity-change') {
      problems.push(...this.checkQuotas(change.quotas, 'change.quotas'));
    }
    if (proposal.type === 'new-tenant') {
      problems.push(
        ...this.checkQuotas(change.spec.quotas, 'change.spec.quotas'),
      );
    }
    if (proposal.type === 'binding-change') {
      const env = canonicalFabricRef(change.binding.environment, 'Resource', {
        metadata: { namespace: 'default' },
      });
      if (env !== proposal.environment.toLocaleLowerCase('en-US')) {
        problems.push({
          path: 'change.binding.environment',
          message: `${change.binding.environment} is not the proposal's target environment ${proposal.environment}; bind to the target environment or retarget the proposal`,
        });
      }
    }
    return problems;
  }

  private checkQuotas(quotas: TenantQuotas, path: string): FabricProblem[] {
    const problems: FabricProblem[] = [];
    for (const [key, max] of Object.entries(this.rules.quotaMaxima)) {
      const value = quotas[key as keyof TenantQuotas];
      if (max !== undefined && value > max) {
        problems.push({
          path: `${path}.${key}`,
          message: `${value} is above the configured maximum ${max}; request at most ${max} or ask an operator to raise the maximum`,
        });
      }
    }
    return problems;
  }

  /** Takes the exclusive review lease; validated -> in-review on first claim. */
  async claim(actor: Actor, id: string): Promise<Claim> {
    const proposal = await this.proposals.get(id);
    this.assertReviewer(actor, proposal, 'claim');
    if (proposal.state !== 'validated' && proposal.state !== 'in-review') {
      throw new ConflictError(
        `Proposal ${id} is ${proposal.state}; only validated or in-review proposals can be claimed`,
      );
    }
    const now = this.clock.now();
    const claim: Claim = {
      proposalId: id,
      claimant: actor.userRef,
      claimedAt: toIso(now),
      expiresAt: toIso(addMs(now, this.rules.claimTtlMs)),
    };
    await this.db.transaction(async tx => {
      // An approver is done with the proposal: a new lease would only lock out the second
      // approver until it expires. Read in the transaction, next to the lease it guards.
      const decisions = await this.decisions.listForProposal(id, tx);
      if (validApprovers(decisions, claim.claimedAt).includes(actor.userRef)) {
        throw new ConflictError(
          `${actor.userRef} has already approved proposal ${id}, so there is nothing left to claim; the next approval must come from somebody else`,
        );
      }
      await this.claims.acquire(tx, claim);
      const to: ProposalState = 'in-review';
      await this.proposals.update(tx, proposal, { state: to }, claim.claimedAt);
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: id,
        action: 'claimed',
        actor: actor.userRef,
        at: claim.claimedAt,
        details: { from: proposal.state, to, expiresAt: claim.expiresAt },
      });
    });
    return claim;
  }

  async approve(
    actor: Actor,
    id: string,
    request: ApproveRequest,
  ): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    this.assertReviewer(actor, proposal, 'approve');
    this.assertState(proposal, 'in-review', 'approved');
    const nowDate = this.clock.now();
    const now = toIso(nowDate);
    const rules = this.rules.forEnvironment(proposal.environment);
    const decisions = await this.decisions.listForProposal(id);
    const approvers = validApprovers(decisions, now);
    if (approvers.includes(actor.userRef)) {
      throw new ConflictError(
        `${actor.userRef} has already approved proposal ${id}; a second approval must come from somebody else`,
      );
    }
    await this.assertNotClaimedByOther(id, actor, now);
    const window = checkChangeWindows(rules.changeWindows, nowDate);
    if (!window.open && !request.override) {
      throw new NotAllowedError(
        `Approval refused: ${window.message}; approve inside a change window or give an override with a reason and a tracking reference`,
      );
    }
    let fingerprint: string | undefined;
    if (rules.requireSignature) {
      if (!request.signature) {
        throw new InputError(
          `Approvals for ${proposal.environment} must be signed: supply an OpenPGP detached signature over the digest ${proposal.digest}`,
        );
      }
      const check = await this.signatures.verify({
        userRef: actor.userRef,
        digest: proposal.digest,
        armoredSignature: request.signature,
      });
      if (!check.valid) {
        throw new NotAllowedError(`Approval refused: ${check.message}`);
      }
      fingerprint = check.fingerprint;
      assertKeyNotReused(decisions, fingerprint, actor.userRef, id);
    }
    const override = window.open ? undefined : request.override;
    const count = approvers.length + 1;
    const to: ProposalState =
      count >= rules.requiredApprovals ? 'approved' : 'in-review';
    const decision: Decision = {
      id: this.ids(),
      proposalId: id,
      kind: 'approval',
      actor: actor.userRef,
      decidedAt: now,
      expiresAt: toIso(addMs(nowDate, rules.approvalTtlMs)),
      reason: request.comment,
      signature: request.signature,
      signingKeyFingerprint: fingerprint,
      overrideReason: override?.reason,
      overrideTrackingRef: override?.trackingRef,
    };
    await this.db.transaction(async tx => {
      if (fingerprint) {
        // Again inside the transaction: a decision written meanwhile counts too.
        assertKeyNotReused(
          await this.decisions.listForProposal(id, tx),
          fingerprint,
          actor.userRef,
          id,
        );
      }
      await this.proposals.update(tx, proposal, { state: to }, now);
      await this.decisions.insert(tx, decision);
      await this.claims.release(tx, id, actor.userRef);
      if (override) {
        await this.auditOverride(
          tx,
          actor,
          id,
          'approve',
          override,
          window.message,
          now,
        );
      }
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: id,
        action: 'approval',
        actor: actor.userRef,
        at: now,
        reason: request.comment,
        details: {
          decisionId: decision.id,
          from: proposal.state,
          to,
          approvals: count,
          required: rules.requiredApprovals,
          expiresAt: decision.expiresAt,
          signingKeyFingerprint: fingerprint ?? null,
          override: override ?? null,
        },
      });
    });
    const updated = await this.proposals.get(id);
    if (to === 'approved') {
      await this.notifier.decided(
        updated,
        `Approved by ${[...approvers, actor.userRef].join(
          ' and ',
        )}; an operator can apply it now`,
      );
    } else {
      await this.notifier.awaitingReview(updated, [
        ...approvers,
        actor.userRef,
      ]);
    }
    return updated;
  }

  async reject(
    actor: Actor,
    id: string,
    request: RejectRequest,
  ): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    this.assertReviewer(actor, proposal, 'reject');
    this.assertState(proposal, ['validated', 'in-review'], 'rejected');
    const now = toIso(this.clock.now());
    await this.assertNotClaimedByOther(id, actor, now);
    const decision: Decision = {
      id: this.ids(),
      proposalId: id,
      kind: 'rejection',
      actor: actor.userRef,
      decidedAt: now,
      reason: request.reason,
    };
    await this.db.transaction(async tx => {
      await this.proposals.update(tx, proposal, { state: 'rejected' }, now);
      await this.decisions.insert(tx, decision);
      await this.claims.release(tx, id, actor.userRef);
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: id,
        action: 'rejection',
        actor: actor.userRef,
        at: now,
        reason: request.reason,
        details: {
          decisionId: decision.id,
          from: proposal.state,
          to: 'rejected',
        },
      });
    });
    const updated = await this.proposals.get(id);
    await this.notifier.decided(
      updated,
      `Rejected by ${actor.userRef}: ${request.reason}`,
    );
    return updated;
  }

  async withdraw(
    actor: Actor,
    id: string,
    request: WithdrawRequest,
  ): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    if (
      proposal.requester !== actor.userRef &&
      !actor.roles.includes('operator')
    ) {
      throw new NotAllowedError(
        `Only the requester ${proposal.requester} or an operator can withdraw proposal ${id}`,
      );
    }
    this.assertState(
      proposal,
      ['submitted', 'validated', 'in-review', 'approved'],
      'withdrawn',
    );
    const now = toIso(this.clock.now());
    await this.transitionAudited(
      actor.userRef,
      proposal,
      { state: 'withdrawn' },
      'withdrawn',
      now,
      request.reason,
    );
    return this.proposals.get(id);
  }

  /**
   * Expires a proposal that is due: open for longer than the review time, or
   * approved with too few approvals still valid.
   */
  async expire(actorRef: string, id: string): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    this.assertState(
      proposal,
      ['validated', 'in-review', 'approved'],
      'expired',
    );
    const nowDate = this.clock.now();
    const now = toIso(nowDate);
    const reason = await this.expiryReason(proposal, nowDate);
    if (!reason) {
      throw new ConflictError(`Proposal ${id} is not due to expire`);
    }
    await this.transitionAudited(
      actorRef,
      proposal,
      { state: 'expired' },
      'expired',
      now,
      reason,
    );
    const updated = await this.proposals.get(id);
    await this.notifier.decided(updated, `Expired: ${reason}`);
    return updated;
  }

  /** Expires every proposal that is due; returns their ids. */
  async expireDue(): Promise<string[]> {
    const expired: string[] = [];
    for (const state of ['validated', 'in-review', 'approved'] as const) {
      for (const proposal of await this.proposals.list({ state })) {
        if (await this.expiryReason(proposal, this.clock.now())) {
          try {
            await this.expire(SYSTEM_ACTOR, proposal.id);
            expired.push(proposal.id);
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
          }
        }
      }
    }
    return expired;
  }

  private async expiryReason(
    proposal: Proposal,
    now: Date,
  ): Promise<string | undefined> {
    if (proposal.state === 'approved') {
      const rules = this.rules.forEnvironment(proposal.environment);
      const decisions = await this.decisions.listForProposal(proposal.id);
      const valid = validApprovers(decisions, toIso(now)).length;
      return valid < rules.requiredApprovals
        ? `only ${valid} of ${rules.requiredApprovals} approvals are still valid`
        : undefined;
    }
    const deadline = addMs(
      new Date(proposal.submittedAt),
      this.rules.reviewTtlMs,
    );
    return deadline <= now ? `not decided by ${toIso(deadline)}` : undefined;
  }

  /** Operator marks an approved proposal applied, with a reference. */
  async apply(
    actor: Actor,
    id: string,
    request: ApplyRequest,
  ): Promise<Proposal> {
    if (!actor.roles.includes('operator')) {
      throw new NotAllowedError('Only operators mark proposals applied');
    }
    const proposal = await this.proposals.get(id);
    this.assertState(proposal, 'approved', 'applied');
    const nowDate = this.clock.now();
    const now = toIso(nowDate);
    const assessment = await this.assessApply(proposal, nowDate);
    const blocking = assessment.reasons.filter(
      r => !(r.code === 'outside-window' && request.override),
    );
    if (blocking.length > 0) {
      throw new NotAllowedError(
        `Apply refused: ${blocking.map(r => r.message).join('; ')}`,
      );
    }
    const windowReason = assessment.reasons.find(
      r => r.code === 'outside-window',
    );
    const override = windowReason ? request.override : undefined;
    await this.db.transaction(async tx => {
      await this.proposals.update(
        tx,
        proposal,
        {
          state: 'applied',
          appliedReference: request.reference,
          appliedAt: now,
        },
        now,
      );
      if (override) {
        await this.auditOverride(
          tx,
          actor,
          id,
          'apply',
          override,
          windowReason?.message,
          now,
        );
      }
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: id,
        action: 'applied',
        actor: actor.userRef,
        at: now,
        details: {
          from: 'approved',
          to: 'applied',
          reference: request.reference,
          approvers: assessment.validApprovals,
          override: override ?? null,
        },
      });
    });
    const updated = await this.proposals.get(id);
    await this.notifier.decided(
      updated,
      `Applied by ${actor.userRef} (${request.reference})`,
    );
    return updated;
  }

  /** What stands between the proposal and being applied at `now`. */
  async assessApply(
    proposal: Proposal,
    now: Date,
    knownDecisions?: Decision[],
  ): Promise<ApplyAssessment> {
    const rules = this.rules.forEnvironment(proposal.environment);
    const decisions =
      knownDecisions ?? (await this.decisions.listForProposal(proposal.id));
    const nowIso = toIso(now);
    const valid = validApprovers(decisions, nowIso);
    const reasons: GateReason[] = [];
    const terminal: Partial<Record<ProposalState, GateReason>> = {
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
    };
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
    const end = terminal[proposal.state];
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
    if (valid.length < rules.requiredApprovals) {
      const lapsed = new Set(
        decisions
          .filter(d => d.kind === 'approval' && !valid.includes(d.actor))
          .map(d => d.actor),
      );
      reasons.push(
        lapsed.size > 0
          ? {
              code: 'approvals-expired',
              message: `${lapsed.size} approval(s) expired; ${valid.length} of ${rules.requiredApprovals} required approvals are valid now`,
            }
          : {
              code: 'missing-approvals',
              message: `${valid.length} of ${rules.requiredApprovals} required approvals`,
            },
      );
    }
    const window = checkChangeWindows(rules.changeWindows, now);
    if (!window.open) {
      reasons.push({ code: 'outside-window', message: window.message! });
    }
    return { reasons, validApprovals: valid, rules };
  }

  private async transitionAudited(
    actorRef: string,
    proposal: Proposal,
    patch: ProposalPatch,
    action: string,
    now: string,
    reason?: string,
  ) {
    await this.db.transaction(async tx => {
      await this.proposals.update(tx, proposal, patch, now);
      await this.audit.append(tx, {
        id: this.ids(),
        proposalId: proposal.id,
        action,
        actor: actorRef,
        at: now,
        reason,
        details: { from: proposal.state, to: patch.state ?? proposal.state },
      });
    });
  }

  private async auditOverride(
    tx: Knex.Transaction,
    actor: Actor,
    proposalId: string,
    step: 'approve' | 'apply',
    override: Override,
    overridden: string | undefined,
    now: string,
  ) {
    await this.audit.append(tx, {
      id: this.ids(),
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

  /** Approvers are operators, never tenants or CI, and never the requester. */
  private assertReviewer(actor: Actor, proposal: Proposal, verb: string) {
    if (actor.roles.includes('tenant')) {
      throw new NotAllowedError(`Tenants never ${verb} proposals`);
    }
    if (!actor.roles.includes('operator')) {
      throw new NotAllowedError(`Only operators ${verb} proposals`);
    }
    if (proposal.requester === actor.userRef) {
      throw new NotAllowedError(
        `Nobody may ${verb} their own proposal; ${proposal.id} was requested by ${actor.userRef}`,
      );
    }
  }

  private assertState(
    proposal: Proposal,
    allowed: ProposalState | ProposalState[],
    to: ProposalState,
  ) {
    const states = Array.isArray(allowed) ? allowed : [allowed];
    const reachable =
      canTransition(proposal.state, to) || proposal.state === to;
    if (!states.includes(proposal.state) || !reachable) {
      throw new ConflictError(
        `Proposal ${proposal.id} is ${
          proposal.state
        }; it cannot become ${to} from there (needs ${states.join(' or ')})`,
      );
    }
  }

  private async assertNotClaimedByOther(id: string, actor: Actor, now: string) {
    const claim = await this.claims.findActive(id, now);
    if (claim && claim.claimant !== actor.userRef) {
      throw new ConflictError(
        `Proposal ${id} is claimed by ${claim.claimant} until ${claim.expiresAt}`,
      );
    }
  }
}

/**
 * One key backs at most one person's decisions on a proposal: a signature that verifies with
 * a key already behind another user's decision is the same signer twice, whoever registered
 * the key (the registry keeps one owner per key, but a key may change hands after a
 * revocation, and decisions signed before this rule existed are still there).
 */
function assertKeyNotReused(
  decisions: Decision[],
  fingerprint: string,
  actor: string,
  proposalId: string,
) {
  const other = decisions.find(
    d =>
      d.actor !== actor &&
      d.signingKeyFingerprint?.toUpperCase() === fingerprint.toUpperCase(),
  );
  if (other) {
    throw new ConflictError(
      `Approval refused: signing key ${fingerprint} already backs the ${other.kind} of ${other.actor} on proposal ${proposalId}; every approver signs with a key of their own`,
    );
  }
}
