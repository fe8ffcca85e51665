import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  APPLIED_STATES,
  Proposal,
  ProposalSubmission,
  ProposalValidation,
  canRunCommand,
  canonicalJson,
  proposalDigestContent,
} from '@internal/plugin-approvals-common';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { ProposalPatch } from '../database/ProposalStore';
import { toIso } from '../database/time';
import { Actor, SYSTEM_ACTOR } from './actors';
import { CommandContext } from './commandContext';
import { assertOneRungUp } from './promotionLadder';
import { describeProblems, validateProposal } from './proposalValidation';
import { isRequesterOrOperator } from './reviewGuards';
import { assertCommandAllowed } from './transitions';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Submitting (and superseding) a proposal, and its automatic validation. */
export class SubmitCommands {
  constructor(private readonly ctx: CommandContext) {}

  /**
   * Stores a new proposal, supersedes the earlier one it names and then runs
   * the automatic validation. Returns the proposal after validation.
   */
  async submit(actor: Actor, input: ProposalSubmission): Promise<Proposal> {
    if (actor.roles.includes('ci') && !actor.roles.includes('operator')) {
      throw new NotAllowedError('CI principals cannot submit proposals');
    }
    await assertOneRungUp(input, this.ctx.catalog);
    const now = toIso(this.ctx.clock.now());
    const content = {
      id: this.ctx.ids(),
      tenant: input.tenant,
      type: input.type,
      environment: input.environment,
      title: input.title,
      change: input.change,
      requester: actor.userRef,
      evidence: input.evidence,
      packets: input.packets ?? [],
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
    await this.ctx.db.transaction(async tx => {
      await this.ctx.proposals.insert(tx, proposal);
      if (input.supersedes) {
        await this.supersede(tx, actor, input.supersedes, proposal, now);
      }
      await this.ctx.transitions.append(tx, {
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
          packets: (proposal.packets ?? []).map(p => p.packetId),
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
    const old = await this.ctx.proposals.get(oldId, tx);
    if (old.tenant !== replacement.tenant) {
      throw new InputError(
        `Proposal ${oldId} is for ${old.tenant}; a proposal can only supersede one of the same tenant`,
      );
    }
    if (!isRequesterOrOperator(actor, old)) {
      throw new NotAllowedError(
        `Only ${old.requester} or an operator can supersede proposal ${oldId}`,
      );
    }
    if (old.supersededBy) {
      throw new ConflictError(
        `Proposal ${oldId} is already superseded by ${old.supersededBy}`,
      );
    }
    if (APPLIED_STATES.includes(old.state)) {
      throw new ConflictError(
        `Proposal ${oldId} is ${old.state}; submit a new proposal instead of superseding it`,
      );
    }
    // An open proposal is withdrawn; a finished one (rejected, expired) only gets the link.
    const patch: ProposalPatch = { supersededBy: replacement.id };
    if (canRunCommand('supersede', old.state)) patch.state = 'withdrawn';
    await this.ctx.transitions.write(tx, {
      command: 'supersede',
      proposal: old,
      patch,
      at: now,
      audit: {
        action: 'superseded',
        actor: actor.userRef,
        details: { by: replacement.id },
      },
    });
  }

  /** The automatic checks: submitted -> validated, or -> rejected with reasons. */
  async validate(id: string): Promise<Proposal> {
    const proposal = await this.ctx.proposals.get(id);
    assertCommandAllowed('validate', proposal, 'validated');
    const now = toIso(this.ctx.clock.now());
    const problems = await validateProposal(
      proposal,
      this.ctx.rules.quotaMaxima,
      this.ctx.catalog,
    );
    const validation: ProposalValidation = {
      ok: problems.length === 0,
      checkedAt: now,
      problems,
    };
    return this.ctx.transitions.run({
      command: 'validate',
      proposal,
      patch: { state: validation.ok ? 'validated' : 'rejected', validation },
      at: now,
      audit: {
        action: validation.ok ? 'validated' : 'validation-failed',
        actor: SYSTEM_ACTOR,
        reason: validation.ok ? undefined : describeProblems(problems),
        details: { problems },
      },
      notify: validated =>
        validation.ok
          ? this.ctx.notifier.awaitingReview(validated, [])
          : this.ctx.notifier.decided(
              validated,
              `Automatic validation failed: ${describeProblems(problems)}`,
            ),
    });
  }
}
