import { ConflictError } from '@backstage/errors';
import {
  PacketResolution,
  Proposal,
  RollbackRequest,
  VerifyRequest,
} from '@internal/plugin-approvals-common';
import { toIso } from '../database/time';
import { Actor, SYSTEM_ACTOR } from './actors';
import { CommandContext } from './commandContext';
import { assertOperatorNotCi } from './lifecycleCommands';
import { NotAllowedError } from '@backstage/errors';
import { assertCommandAllowed } from './transitions';

/**
 * After apply (plan -> approve -> apply -> verify -> rollback): an operator confirms the
 * change with a verification packet, or records its rollback with the reason and a packet.
 * A verify that does not arrive within the configured time is flagged on the proposal and
 * notified by {@link AfterApplyCommands.flagOverdue} (a scheduled task).
 */
export class AfterApplyCommands {
  constructor(private readonly ctx: CommandContext) {}

  async verify(
    actor: Actor,
    id: string,
    request: VerifyRequest,
  ): Promise<Proposal> {
    assertOperatorNotCi(actor, 'verify');
    const proposal = await this.ctx.proposals.get(id);
    assertCommandAllowed('verify', proposal, 'verified');
    const nowDate = this.ctx.clock.now();
    const now = toIso(nowDate);
    const evidence = await this.packet(proposal, request.evidence, nowDate);
    return this.ctx.transitions.run({
      command: 'verify',
      proposal,
      patch: {
        state: 'verified',
        verifiedAt: now,
        verifiedBy: actor.userRef,
        verifiedPacket: request.evidence,
      },
      at: now,
      audit: {
        action: 'verified',
        actor: actor.userRef,
        reason: request.comment,
        details: { evidence },
      },
      notify: updated =>
        this.ctx.notifier.decided(
          updated,
          `Verified by ${actor.userRef} (evidence ${request.evidence})`,
        ),
    });
  }

  async rollback(
    actor: Actor,
    id: string,
    request: RollbackRequest,
  ): Promise<Proposal> {
    assertOperatorNotCi(actor, 'rollback');
    const proposal = await this.ctx.proposals.get(id);
    assertCommandAllowed('rollback', proposal, 'rolled-back');
    const nowDate = this.ctx.clock.now();
    const now = toIso(nowDate);
    const evidence = await this.packet(proposal, request.evidence, nowDate);
    return this.ctx.transitions.run({
      command: 'rollback',
      proposal,
      patch: {
        state: 'rolled-back',
        rolledBackAt: now,
        rolledBackBy: actor.userRef,
        rollbackReason: request.reason,
        rollbackPacket: request.evidence,
      },
      at: now,
      audit: {
        action: 'rolled-back',
        actor: actor.userRef,
        reason: request.reason,
        details: { evidence },
      },
      notify: updated =>
        this.ctx.notifier.decided(
          updated,
          `Rolled back by ${actor.userRef}: ${request.reason} (evidence ${request.evidence})`,
        ),
    });
  }

  /**
   * Flags every applied proposal whose verify is overdue (applied longer ago than the
   * configured time, not flagged yet): the proposal shows it, the audit log records it and
   * the operators and the requester are notified. Runs once across replicas (scheduler);
   * a proposal is flagged once, by the conditional update.
   */
  async flagOverdue(): Promise<string[]> {
    const nowDate = this.ctx.clock.now();
    const now = toIso(nowDate);
    const deadline = toIso(
      new Date(nowDate.getTime() - this.ctx.rules.verifyWithinMs),
    );
    const flagged: string[] = [];
    for (const proposal of await this.ctx.proposals.list({
      state: 'applied',
    })) {
      if (proposal.verifyOverdueAt || !proposal.appliedAt) continue;
      if (proposal.appliedAt > deadline) continue;
      const due = toIso(
        new Date(
          new Date(proposal.appliedAt).getTime() +
            this.ctx.rules.verifyWithinMs,
        ),
      );
      const reason = `no verify or rollback since the apply at ${proposal.appliedAt} (due by ${due})`;
      try {
        await this.ctx.transitions.run({
          command: 'verify',
          proposal,
          patch: { verifyOverdueAt: now },
          at: now,
          audit: { action: 'verify-overdue', actor: SYSTEM_ACTOR, reason },
          notify: updated => this.ctx.notifier.verifyOverdue(updated, reason),
        });
        flagged.push(proposal.id);
      } catch (error) {
        // Somebody verified or flagged it meanwhile.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return flagged;
  }

  /** Resolves the packet of a verify or rollback; it must count, or the step is refused. */
  private async packet(
    proposal: Proposal,
    packetId: string,
    now: Date,
  ): Promise<PacketResolution> {
    const resolution = await this.ctx.evidence.resolve(
      { packetId, kind: 'verification' },
      proposal,
      now,
    );
    if (resolution.outcome !== 'ok') {
      throw new NotAllowedError(
        `The evidence does not count: ${resolution.message}`,
      );
    }
    return resolution;
  }
}
