import {
  PROPOSAL_COMMANDS,
  PROPOSAL_STATES,
  PROPOSAL_TRANSITIONS,
  REVIEWABLE_STATES,
  TERMINAL_PROPOSAL_STATES,
  canRunCommand,
} from './states';

describe('proposal state rules', () => {
  it('derives the transition table from the commands', () => {
    const sorted = (states: ReadonlyArray<string>) => [...states].sort();
    // The table as it was written out by hand before the commands defined it.
    expect(
      Object.fromEntries(
        PROPOSAL_STATES.map(s => [s, sorted(PROPOSAL_TRANSITIONS[s])]),
      ),
    ).toEqual({
      submitted: sorted(['validated', 'rejected', 'withdrawn']),
      validated: sorted(['in-review', 'rejected', 'withdrawn', 'expired']),
      'in-review': sorted(['approved', 'rejected', 'withdrawn', 'expired']),
      approved: sorted(['applied', 'withdrawn', 'expired']),
      rejected: [],
      expired: [],
      withdrawn: [],
      // After apply: verify, then keep (verified) or roll back.
      applied: sorted(['verified', 'rolled-back']),
      verified: [],
      'rolled-back': [],
    });
    expect(sorted(TERMINAL_PROPOSAL_STATES)).toEqual(
      sorted(['rejected', 'expired', 'withdrawn', 'verified', 'rolled-back']),
    );
  });

  it('lets no command act on a finished proposal', () => {
    for (const state of TERMINAL_PROPOSAL_STATES) {
      for (const command of Object.keys(PROPOSAL_COMMANDS)) {
        expect([command, state, canRunCommand(command as any, state)]).toEqual([
          command,
          state,
          false,
        ]);
      }
    }
  });

  it('approves only what is in review and applies only what is approved', () => {
    expect(canRunCommand('approve', 'validated')).toBe(false);
    expect(canRunCommand('approve', 'in-review')).toBe(true);
    expect(canRunCommand('apply', 'in-review')).toBe(false);
    expect(canRunCommand('apply', 'approved')).toBe(true);
    expect(canRunCommand('reject', 'approved')).toBe(false);
    expect(REVIEWABLE_STATES).toEqual(['validated', 'in-review']);
  });
});
