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
] as const;

export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** States a proposal never leaves. */
export const TERMINAL_PROPOSAL_STATES: ReadonlyArray<ProposalState> = [
  'rejected',
  'expired',
  'withdrawn',
  'applied',
];

/**
 * Allowed transitions. `submitted -> rejected` is the automatic validation
 * failing; everything else is a person (or the expiry sweep) acting.
 */
export const PROPOSAL_TRANSITIONS: Readonly<
  Record<ProposalState, ReadonlyArray<ProposalState>>
> = {
  submitted: ['validated', 'rejected', 'withdrawn'],
  validated: ['in-review', 'rejected', 'withdrawn', 'expired'],
  'in-review': ['approved', 'rejected', 'withdrawn', 'expired'],
  approved: ['applied', 'withdrawn', 'expired'],
  rejected: [],
  expired: [],
  withdrawn: [],
  applied: [],
};

export function canTransition(from: ProposalState, to: ProposalState): boolean {
  return PROPOSAL_TRANSITIONS[from].includes(to);
}

export function isTerminalState(state: ProposalState): boolean {
  return TERMINAL_PROPOSAL_STATES.includes(state);
}
