import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  ApplyRequest,
  PROPOSAL_COMMANDS,
  Proposal,
  WithdrawRequest,
} from '@internal/plugin-approvals-common';
import { toIso } from '../database/time';
import { Actor, SYSTEM_ACTOR } from './actors';
import { CommandContext, appendOverride } from './commandContext';
import { expiryReason } from './gatePolicy';
import { isRequesterOrOperator } from './reviewGuards';
import { assertCommandAllowed } from './transitions';

/** The rest of a proposal's life: withdrawn by its requester, expired, applied. */
export class LifecycleCommands {
  constructor(private readonly ctx: CommandContext) {}

  async withdraw(
    actor: Actor,
    id: string,
    request: WithdrawRequest,
  ): Promise<Proposal> {
    const proposal = await this.ctx.proposals.get(id);
    if (!isRequesterOrOperator(actor, proposal)) {
      throw new NotAllowedError(
        `Only the requester ${proposal.requester} or an operator can withdraw proposal ${id}`,
      );
    }
    return this.ctx.transitions.run({
      command: 'withdraw',
      proposal,
      patch: { state: 'withdrawn' },
      at: toIso(this.ctx.clock.now()),
      audit: {
        action: 'withdrawn',
        actor: actor.userRef,
        reason: request.reason,
      },
    });
  }

  /**
   * Expires a proposal that is due: open for longer than the review time, or
   * approved with too few approvals still valid.
   */
  async expire(actorRef: string, id: string): Promise<Proposal> {
    const proposal = await this.ctx.proposals.get(id);
    assertCommandAllowed('expire', proposal, 'expired');
    const nowDate = this.ctx.clock.now();
    const reason = await this.expiryReason(proposal, nowDate);
    if (!reason) {
      throw new ConflictError(`Proposal ${id} is not due to expire`);
    }
    return this.ctx.transitions.run({
      command: 'expire',
      proposal,
      patch: { state: 'expired' },
      at: toIso(nowDate),
      audit: { action: 'expired', actor: actorRef, reason },
      notify: updated =>
        this.ctx.notifier.decided(updated, `Expired: ${reason}`),
    });
  }

  /** Expires every proposal that is due; returns their ids. */
  async expireDue(): Promise<string[]> {
    const expired: string[] = [];
    for (const state of PROPOSAL_COMMANDS.expire.from) {
      for (const proposal of await this.ctx.proposals.list({ state })) {
        if (await this.expiryReason(proposal, this.ctx.clock.now())) {
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

  private async expiryReason(proposal: Proposal, now: Date) {
    // Only an approved proposal's decisions matter (approvals lapsing); skip reading others'.
    const decisions =
      proposal.state === 'approved'
        ? await this.ctx.decisions.listForProposal(proposal.id)
        : [];
    return expiryReason(
      proposal,
      decisions,
      this.ctx.rules.forEnvironment(proposal.environment),
      this.ctx.rules.reviewTtlMs,
      now,
    );
  }

  /**
   * The operator's apply step: an operator (never CI) marks an approved proposal applied,
   * with a reference and the evidence packet of the apply run, when the gate allows it.
   */
  async apply(
    actor: Actor,
    id: string,
    request: ApplyRequest,
  ): Promise<Proposal> {
    assertOperatorNotCi(actor, 'apply');
    const proposal = await this.ctx.proposals.get(id);
    assertCommandAllowed('apply', proposal, 'applied');
    const nowDate = this.ctx.clock.now();
    const now = toIso(nowDate);
    const assessment = await this.ctx.gatekeeper.assess(proposal, nowDate);
    const blocking = assessment.reasons.filter(
      r => !(r.code === 'outside-window' && request.override),
    );
    if (blocking.length > 0) {
      throw new NotAllowedError(
        `Apply refused: ${blocking.map(r => r.message).join('; ')}`,
      );
    }
    // The schema requires the packet (HTTP and in-process); checked again for any other caller.
    if (!request.evidence) {
      throw new InputError(
        `The apply request is invalid: evidence: is missing; every apply names the verified packet of the apply run (yarn fabric apply ${id} --evidence <packetId>)`,
      );
    }
    // Resolved here, the packet must count or the apply is refused.
    const evidence = await this.ctx.evidence.resolve(
      { packetId: request.evidence, kind: 'plan' },
      proposal,
      nowDate,
    );
    if (evidence.outcome !== 'ok') {
      throw new NotAllowedError(`Apply refused: ${evidence.message}`);
    }
    const windowReason = assessment.reasons.find(
      r => r.code === 'outside-window',
    );
    const override = windowReason ? request.override : undefined;
    return this.ctx.transitions.run({
      command: 'apply',
      proposal,
      patch: {
        state: 'applied',
        appliedReference: request.reference,
        appliedAt: now,
        appliedBy: actor.userRef,
        appliedPacket: request.evidence,
      },
      at: now,
      audit: {
        action: 'applied',
        actor: actor.userRef,
        details: {
          reference: request.reference,
          approvers: assessment.validApprovals,
          override: override ?? null,
          evidence,
          packets: assessment.packets ?? [],
        },
      },
      after: async tx => {
        if (override) {
          await appendOverride(
            this.ctx,
            tx,
            actor,
            id,
            'apply',
            override,
            windowReason?.message,
            now,
          );
        }
      },
      notify: updated =>
        this.ctx.notifier.decided(
          updated,
          `Applied by ${actor.userRef} (${request.reference}, evidence ${request.evidence})`,
        ),
    });
  }
}

/**
 * Apply, verify and rollback are the operator's steps: CI reads, posts evidence and drift
 * and asks the gate, but never applies (a service principal is refused even if a policy
 * or a group membership made it look like an operator).
 */
export function assertOperatorNotCi(actor: Actor, step: string): void {
  if (actor.roles.includes('ci')) {
    throw new NotAllowedError(
      `CI never runs the ${step} step; an operator signs in (yarn fabric ${step}) and records it`,
    );
  }
  if (!actor.roles.includes('operator')) {
    throw new NotAllowedError(`Only operators run the ${step} step`);
  }
}
