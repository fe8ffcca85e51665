import { DriftVerdict } from '@internal/plugin-drift-common';
import { ResourceSignalState, evaluateSignals } from './signals';

/** Feeds verdicts of one resource run by run, as the service does. */
function replay(
  verdicts: DriftVerdict[],
  options: { warnAfterRuns?: number; suppressedAt?: number[] } = {},
) {
  let state: ResourceSignalState[] = [];
  return verdicts.map((verdict, i) => {
    const result = evaluateSignals(
      state,
      [{ provider: 'postgres', resource: 'db', verdict }],
      {
        warnAfterRuns: options.warnAfterRuns ?? 3,
        suppressed: options.suppressedAt?.includes(i) ?? false,
      },
    );
    state = result.next;
    return result.triggers.map(t => t.kind).join(',') || '-';
  });
}

describe('notification rules', () => {
  it('signals a FAIL once, and again only after it passed in between', () => {
    expect(
      replay(['PASS', 'FAIL', 'FAIL', 'WARN', 'FAIL', 'PASS', 'FAIL']),
    ).toEqual(['-', 'new-fail', '-', '-', '-', '-', 'new-fail']);
  });

  it('signals a WARN when it persists for the configured count, once', () => {
    expect(replay(['WARN', 'WARN', 'WARN', 'WARN'])).toEqual([
      '-',
      '-',
      'persisting-warn',
      '-',
    ]);
    expect(
      replay(['WARN', 'PASS', 'WARN', 'WARN'], { warnAfterRuns: 2 }),
    ).toEqual(['-', '-', '-', 'persisting-warn']);
  });

  it('signals a FAIL that follows an announced WARN', () => {
    expect(replay(['WARN', 'WARN', 'FAIL'], { warnAfterRuns: 2 })).toEqual([
      '-',
      'persisting-warn',
      'new-fail',
    ]);
  });

  it('lets a FAIL outlast a maintenance window and signals it after', () => {
    expect(replay(['FAIL', 'FAIL', 'FAIL'], { suppressedAt: [0, 1] })).toEqual([
      'new-fail',
      'new-fail',
      'new-fail',
    ]);
    // The third one is the first that counts as announced.
    expect(
      replay(['FAIL', 'FAIL', 'FAIL', 'FAIL'], { suppressedAt: [0, 1] }),
    ).toEqual(['new-fail', 'new-fail', 'new-fail', '-']);
  });

  it('forgets resources that are no longer reported', () => {
    const first = evaluateSignals(
      [],
      [{ provider: 'postgres', resource: 'db', verdict: 'FAIL' }],
      { warnAfterRuns: 3, suppressed: false },
    );
    const second = evaluateSignals(first.next, [], {
      warnAfterRuns: 3,
      suppressed: false,
    });
    expect(second.next).toEqual([]);
    const third = evaluateSignals(
      second.next,
      [{ provider: 'postgres', resource: 'db', verdict: 'FAIL' }],
      { warnAfterRuns: 3, suppressed: false },
    );
    expect(third.triggers.map(t => t.kind)).toEqual(['new-fail']);
  });
});
