/** Lifecycle states of a proposal. */
export const PROPOSAL_STATES = [
  'submitted',
  'validated',
  'in-review',
  'approved',
  'rejected',
  'expired',
  'withdrawn',
  'applied',
  'verified',
  'rolled-back',
] as const;

export type ProposalState = (typeof PROPOSAL_STATES)[number];

/**
 * What can happen to a proposal: the automatic validation, a person's action or the
 * expiry sweep. `supersede` is a new proposal replacing an open one.
 */
export type ProposalCommand =
  | 'validate'
  | 'claim'
  | 'approve'
  | 'reject'
  | 'withdraw'
  | 'supersede'
  | 'expire'
  | 'apply'
  | 'verify'
  | 'rollback';

/**
 * THE proposal state rules: for each command, the states it acts on and the states it may
 * lead to. The backend refuses a command from any other state, the Approvals page offers
 * only what is allowed here, and {@link PROPOSAL_TRANSITIONS} is derived from it.
 *
 * `validate` leads to `rejected` when the automatic checks fail; `claim` keeps an
 * in-review proposal in review; `approve` stays in review until enough people approved.
 */
export const PROPOSAL_COMMANDS: Readonly<
  Record<
    ProposalCommand,
    {
      from: ReadonlyArray<ProposalState>;
      to: ReadonlyArray<ProposalState>;
    }
  >
> = {
  validate: { from: ['submitted'], to: ['validated', 'rejected'] },
  claim: { from: ['validated', 'in-review'], to: ['in-review'] },
  approve: { from: ['in-review'], to: ['in-review', 'approved'] },
  reject: { from: ['validated', 'in-review'], to: ['rejected'] },
  withdraw: {
    from: ['submitted', 'validated', 'in-review', 'approved'],
    to: ['withdrawn'],
  },
  supersede: {
    from: ['submitted', 'validated', 'in-review', 'approved'],
    to: ['withdrawn'],
  },
  expire: { from: ['validated', 'in-review', 'approved'], to: ['expired'] },
  apply: { from: ['approved'], to: ['applied'] },
  // After apply (plan -> approve -> apply -> verify -> rollback): an operator either
  // confirms the change with a verification packet or records its rollback.
  verify: { from: ['applied'], to: ['verified'] },
  rollback: { from: ['applied'], to: ['rolled-back'] },
};

/** States reached by an operator's apply step: the change is out (or was rolled back). */
export const APPLIED_STATES: ReadonlyArray<ProposalState> = [
  'applied',
  'verified',
  'rolled-back',
];

/** States waiting for a reviewer: what the review queue lists and a reviewer may claim. */
export const REVIEWABLE_STATES: ReadonlyArray<ProposalState> =
  PROPOSAL_COMMANDS.claim.from;

/** Whether `command` may act on a proposal in `state`. */
export function canRunCommand(
  command: ProposalCommand,
  state: ProposalState,
): boolean {
  return PROPOSAL_COMMANDS[command].from.includes(state);
}

function deriveTransitions() {
  const transitions = {} as Record<ProposalState, ProposalState[]>;
  for (const from of PROPOSAL_STATES) {
    transitions[from] = PROPOSAL_STATES.filter(to =>
      Object.values(PROPOSAL_COMMANDS).some(
        c => to !== from && c.from.includes(from) && c.to.includes(to),
      ),
    );
  }
  return transitions;
}

/** Allowed transitions (to another state), derived from {@link PROPOSAL_COMMANDS}. */
export const PROPOSAL_TRANSITIONS: Readonly<
  Record<ProposalState, ReadonlyArray<ProposalState>>
> = deriveTransitions();

/** States a proposal never leaves: no command acts on them. */
export const TERMINAL_PROPOSAL_STATES: ReadonlyArray<ProposalState> =
  PROPOSAL_STATES.filter(state => PROPOSAL_TRANSITIONS[state].length === 0);

export function canTransition(from: ProposalState, to: ProposalState): boolean {
  return PROPOSAL_TRANSITIONS[from].includes(to);
}

export function isTerminalState(state: ProposalState): boolean {
  return TERMINAL_PROPOSAL_STATES.includes(state);
}
