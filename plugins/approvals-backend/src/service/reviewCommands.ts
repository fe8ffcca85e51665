import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ApproveRequest,
  Decision,
  Proposal,
  ProposalState,
  RejectRequest,
} from '@internal/plugin-approvals-common';
import { Claim } from '../database/ClaimStore';
import { addMs, toIso } from '../database/time';
import { Actor } from './actors';
import { checkChangeWindows } from './changeWindows';
import { CommandContext, appendOverride } from './commandContext';
import { validApprovers } from './gatePolicy';
import {
  assertKeyNotReused,
  assertNotClaimedByOther,
  assertReviewer,
  checkApprovalSignature,
} from './reviewGuards';
import { assertCommandAllowed } from './transitions';

/** What reviewers do: claim, approve (two-person rule, window, signature), reject. */
export class ReviewCommands {
  constructor(private readonly ctx: CommandContext) {}

  /** Takes the exclusive review lease; validated -> in-review on first claim. */
  async claim(actor: Actor, id: string): Promise<Claim> {
    const proposal = await this.ctx.proposals.get(id);
    assertReviewer(actor, proposal, 'claim');
    assertCommandAllowed('claim', proposal, 'in-review');
    const now = this.ctx.clock.now();
    const claim: Claim = {
      proposalId: id,
      claimant: actor.userRef,
      claimedAt: toIso(now),
      expiresAt: toIso(addMs(now, this.ctx.rules.claimTtlMs)),
    };
    // A claim is no decision: nobody is notified.
    await this.ctx.transitions.run({
      command: 'claim',
      proposal,
      patch: { state: 'in-review' },
      at: claim.claimedAt,
      audit: {
        action: 'claimed',
        actor: actor.userRef,
        details: { expiresAt: claim.expiresAt },
      },
      before: async tx => {
        // An approver is done with the proposal: a new lease would only lock out the second
        // approver until it expires. Read in the transaction, next to the lease it guards.
        const decisions = await this.ctx.decisions.listForProposal(id, tx);
        if (
          validApprovers(decisions, claim.claimedAt).includes(actor.userRef)
        ) {
          throw new ConflictError(
            `${actor.userRef} has already approved proposal ${id}, so there is nothing left to claim; the next approval must come from somebody else`,
          );
        }
        await this.ctx.claims.acquire(tx, claim);
      },
    });
    return claim;
  }

  async approve(
    actor: Actor,
    id: string,
    request: ApproveRequest,
  ): Promise<Proposal> {
    const proposal = await this.ctx.proposals.get(id);
    assertReviewer(actor, proposal, 'approve');
    assertCommandAllowed('approve', proposal, 'approved');
    const nowDate = this.ctx.clock.now();
    const now = toIso(nowDate);
    const rules = this.ctx.rules.forEnvironment(proposal.environment);
    const decisions = await this.ctx.decisions.listForProposal(id);
    const approvers = validApprovers(decisions, now);
    if (approvers.includes(actor.userRef)) {
      throw new ConflictError(
        `${actor.userRef} has already approved proposal ${id}; a second approval must come from somebody else`,
      );
    }
    await assertNotClaimedByOther(this.ctx.claims, id, actor, now);
    const window = checkChangeWindows(rules.changeWindows, nowDate);
    if (!window.open && !request.override) {
      throw new NotAllowedError(
        `Approval refused: ${window.message}; approve inside a change window or give an override with a reason and a tracking reference`,
      );
    }
    const fingerprint = await checkApprovalSignature(
      this.ctx.signatures,
      actor,
      proposal,
      rules,
      request.signature,
      decisions,
    );
    const override = window.open ? undefined : request.override;
    const count = approvers.length + 1;
    const to: ProposalState =
      count >= rules.requiredApprovals ? 'approved' : 'in-review';
    const decision: Decision = {
      id: this.ctx.ids(),
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
    const everyone = [...approvers, actor.userRef];
    return this.ctx.transitions.run({
      command: 'approve',
      proposal,
      patch: { state: to },
      at: now,
      audit: {
        action: 'approval',
        actor: actor.userRef,
        reason: request.comment,
        details: {
          decisionId: decision.id,
          approvals: count,
          required: rules.requiredApprovals,
          expiresAt: decision.expiresAt,
          signingKeyFingerprint: fingerprint ?? null,
          override: override ?? null,
        },
      },
      before: async tx => {
        if (fingerprint) {
          // Again inside the transaction: a decision written meanwhile counts too.
          const current = await this.ctx.decisions.listForProposal(id, tx);
          assertKeyNotReused(current, fingerprint, actor.userRef, id);
        }
      },
      after: async tx => {
        await this.ctx.decisions.insert(tx, decision);
        await this.ctx.claims.release(tx, id, actor.userRef);
        if (override) {
          await appendOverride(
            this.ctx,
            tx,
            actor,
            id,
            'approve',
            override,
            window.message,
            now,
          );
        }
      },
      notify: updated =>
        to === 'approved'
          ? this.ctx.notifier.decided(
              updated,
              `Approved by ${everyone.join(
                ' and ',
              )}; an operator can apply it now`,
            )
          : this.ctx.notifier.awaitingReview(updated, everyone),
    });
  }

  async reject(
    actor: Actor,
    id: string,
    request: RejectRequest,
  ): Promise<Proposal> {
    const proposal = await this.ctx.proposals.get(id);
    assertReviewer(actor, proposal, 'reject');
    assertCommandAllowed('reject', proposal, 'rejected');
    const now = toIso(this.ctx.clock.now());
    await assertNotClaimedByOther(this.ctx.claims, id, actor, now);
    const decision: Decision = {
      id: this.ctx.ids(),
      proposalId: id,
      kind: 'rejection',
      actor: actor.userRef,
      decidedAt: now,
      reason: request.reason,
    };
    return this.ctx.transitions.run({
      command: 'reject',
      proposal,
      patch: { state: 'rejected' },
      at: now,
      audit: {
        action: 'rejection',
        actor: actor.userRef,
        reason: request.reason,
        details: { decisionId: decision.id },
      },
      after: async tx => {
        await this.ctx.decisions.insert(tx, decision);
        await this.ctx.claims.release(tx, id, actor.userRef);
      },
      notify: updated =>
        this.ctx.notifier.decided(
          updated,
          `Rejected by ${actor.userRef}: ${request.reason}`,
        ),
    });
  }
}
