import { ConflictError } from '@backstage/errors';
import {
  PROPOSAL_COMMANDS,
  Proposal,
  ProposalCommand,
  ProposalState,
  canRunCommand,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { AuditRecordInput, AuditStore } from '../database/AuditStore';
import { LifecyclePatch, ProposalStore } from '../database/ProposalStore';

/**
 * Refuses `command` on a proposal whose state it does not act on (the rules in
 * approvals-common's PROPOSAL_COMMANDS), with a message saying which states it needs.
 */
export function assertCommandAllowed(
  command: ProposalCommand,
  proposal: Pick<Proposal, 'id' | 'state'>,
  to: ProposalState,
): void {
  if (canRunCommand(command, proposal.state)) return;
  const from = PROPOSAL_COMMANDS[command].from.join(' or ');
  const prefix = `Proposal ${proposal.id} is ${proposal.state}`;
  if (command === 'validate') {
    throw new ConflictError(`${prefix}; only ${from} proposals are validated`);
  }
  if (command === 'claim') {
    throw new ConflictError(`${prefix}; only ${from} proposals can be claimed`);
  }
  throw new ConflictError(
    `${prefix}; it cannot become ${to} from there (needs ${from})`,
  );
}

/** One state change of one proposal, as {@link ProposalTransitions.run} performs it. */
export interface Transition {
  /** What happens; its state rules decide whether the proposal may change. */
  command: ProposalCommand;
  /** The proposal as read: the update only applies while it is still at this state and version. */
  proposal: Proposal;
  /** The new state and fields (no `state`: the proposal keeps its state). */
  patch: LifecyclePatch;
  /** When, as ISO text: the update's time and the audit record's. */
  at: string;
  /** The audit record's action, actor and reason; `details` gets `from` and `to` first. */
  audit: Pick<AuditRecordInput, 'action' | 'actor' | 'reason'> & {
    details?: Record<string, unknown>;
  };
  /** Writes (or checks) in the same transaction before the proposal is updated. */
  before?(tx: Knex.Transaction): Promise<void>;
  /** Writes in the same transaction after the update, before the audit record. */
  after?(tx: Knex.Transaction): Promise<void>;
  /** After commit, with the proposal as stored; a failure here never undoes the change. */
  notify?(updated: Proposal): Promise<void>;
}

/**
 * THE way a proposal changes state: the state rules, then one transaction holding the
 * conditional update (state + version), the rows the command adds and its audit record,
 * then the notification. If any part fails nothing is written, and of concurrent requests
 * for the same proposal exactly one wins (the others get a ConflictError).
 */
export class ProposalTransitions {
  constructor(
    private readonly deps: {
      db: Knex;
      proposals: ProposalStore;
      audit: AuditStore;
      ids: () => string;
    },
  ) {}

  /** Runs `transition` in its own transaction; resolves with the proposal as stored. */
  async run(transition: Transition): Promise<Proposal> {
    await this.deps.db.transaction(tx => this.write(tx, transition));
    const updated = await this.deps.proposals.get(transition.proposal.id);
    await transition.notify?.(updated);
    return updated;
  }

  /** The transactional part of {@link run}, inside a caller's transaction. */
  async write(tx: Knex.Transaction, transition: Transition): Promise<void> {
    const { proposal, patch, at, audit } = transition;
    const to = patch.state ?? proposal.state;
    if (patch.state) assertCommandAllowed(transition.command, proposal, to);
    await transition.before?.(tx);
    await this.deps.proposals.update(tx, proposal, patch, at);
    await transition.after?.(tx);
    await this.append(tx, {
      proposalId: proposal.id,
      action: audit.action,
      actor: audit.actor,
      at,
      reason: audit.reason,
      details: { from: proposal.state, to, ...audit.details },
    });
  }

  /** Appends an audit record (with a fresh id) in `tx`. */
  async append(
    tx: Knex.Transaction,
    record: Omit<AuditRecordInput, 'id'>,
  ): Promise<void> {
    await this.deps.audit.append(tx, { id: this.deps.ids(), ...record });
  }
}
