import { DriftSignalKind, DriftVerdict } from '@internal/plugin-drift-common';

/** What the rules remember about one resource of a scope between runs. */
export interface ResourceSignalState {
  provider: string;
  resource: string;
  verdict: DriftVerdict;
  /** Consecutive runs with WARN, this one included. */
  warnStreak: number;
  /** What the owners were last told about: a FAIL, a persisting WARN, or nothing. */
  announced: 'FAIL' | 'WARN' | null;
}

export interface SignalTrigger {
  kind: DriftSignalKind;
  provider: string;
  resource: string;
}

export interface SignalEvaluation {
  /** The state of every resource in the new run; resources not in it are resolved. */
  next: ResourceSignalState[];
  triggers: SignalTrigger[];
}

const keyOf = (provider: string, resource: string) =>
  `${provider}\u0000${resource}`;

/**
 * The notification rules, for the newest run of a scope:
 * - a FAIL is signalled when the owners have not been told about a FAIL of
 *   that resource since it last passed (so a FAIL is signalled once, and again
 *   only after it passed in between);
 * - a WARN is signalled once it has persisted for `warnAfterRuns` consecutive
 *   runs, unless the owners were already told about this resource;
 * - a PASS, or a resource missing from the run, clears what was announced.
 *
 * When `suppressed` (a maintenance window), triggers are still reported but
 * nothing counts as announced, so a FAIL that outlasts the window is
 * signalled by the first run after it.
 */
export function evaluateSignals(
  previous: ReadonlyArray<ResourceSignalState>,
  findings: ReadonlyArray<{
    provider: string;
    resource: string;
    verdict: DriftVerdict;
  }>,
  options: { warnAfterRuns: number; suppressed: boolean },
): SignalEvaluation {
  const before = new Map(previous.map(s => [keyOf(s.provider, s.resource), s]));
  const next: ResourceSignalState[] = [];
  const triggers: SignalTrigger[] = [];
  for (const finding of findings) {
    const prev = before.get(keyOf(finding.provider, finding.resource));
    const warnStreak =
      finding.verdict === 'WARN'
        ? (prev?.verdict === 'WARN' ? prev.warnStreak : 0) + 1
        : 0;
    let announced = finding.verdict === 'PASS' ? null : prev?.announced ?? null;
    let trigger: DriftSignalKind | undefined;
    if (finding.verdict === 'FAIL' && announced !== 'FAIL') {
      trigger = 'new-fail';
    } else if (
      finding.verdict === 'WARN' &&
      warnStreak >= options.warnAfterRuns &&
      announced === null
    ) {
      trigger = 'persisting-warn';
    }
    if (trigger) {
      triggers.push({
        kind: trigger,
        provider: finding.provider,
        resource: finding.resource,
      });
      if (!options.suppressed) {
        announced = finding.verdict === 'FAIL' ? 'FAIL' : 'WARN';
      }
    }
    next.push({
      provider: finding.provider,
      resource: finding.resource,
      verdict: finding.verdict,
      warnStreak,
      announced,
    });
  }
  return { next, triggers };
}
