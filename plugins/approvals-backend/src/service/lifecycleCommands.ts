import { ConflictError, NotAllowedError } from '@backstage/errors';
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

  /** Operator marks an approved proposal applied, with a reference. */
  async apply(
    actor: Actor,
    id: string,
    request: ApplyRequest,
  ): Promise<Proposal> {
    if (!actor.roles.includes('operator')) {
      throw new NotAllowedError('Only operators mark proposals applied');
    }
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
      },
      at: now,
      audit: {
        action: 'applied',
        actor: actor.userRef,
        details: {
          reference: request.reference,
          approvers: assessment.validApprovals,
          override: override ?? null,
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
          `Applied by ${actor.userRef} (${request.reference})`,
        ),
    });
  }
}
