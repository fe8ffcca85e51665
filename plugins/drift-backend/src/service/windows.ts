import type { RecurringWindow } from '@internal/plugin-fabric-common';
import { isInWindow, windowOccurrenceAt } from '@internal/plugin-fabric-node';

/** A maintenance window or quiet hours: a recurring window for some environments. */
export interface Schedule extends RecurringWindow {
  name: string;
  /** Environments the schedule applies to; all when absent. */
  environments?: string[];
}

function appliesTo(schedule: Schedule, environment: string): boolean {
  return !schedule.environments || schedule.environments.includes(environment);
}

/** The schedule of `schedules` for `environment` that `at` falls in. */
export function activeSchedule(
  schedules: ReadonlyArray<Schedule>,
  environment: string,
  at: Date,
): Schedule | undefined {
  return schedules.find(s => appliesTo(s, environment) && isInWindow(s, at));
}

/**
 * When the quiet hours around `at` end for `environment`, or undefined when
 * `at` is outside quiet hours. Overlapping or back-to-back spans are followed
 * to their common end.
 */
export function quietUntil(
  quietHours: ReadonlyArray<Schedule>,
  environment: string,
  at: Date,
): Date | undefined {
  const applicable = quietHours.filter(s => appliesTo(s, environment));
  const endAfter = (probe: Date) =>
    applicable
      .map(s => windowOccurrenceAt(s, probe)?.end.getTime())
      .filter((t): t is number => t !== undefined);
  let until: Date | undefined;
  // Bounded: a day has finitely many spans, and a schedule covering all of
  // time would otherwise loop forever.
  for (let i = 0; i < 50; i++) {
    const ends = endAfter(until ?? at);
    if (ends.length === 0) return until;
    until = new Date(Math.max(...ends));
  }
  return until;
}
