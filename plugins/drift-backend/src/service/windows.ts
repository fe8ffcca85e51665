import { CronExpressionParser } from 'cron-parser';

/** A recurring span: starts at each cron tick, lasts `durationMs`. */
export interface Schedule {
  name: string;
  cron: string;
  durationMs: number;
  timeZone: string;
  /** Environments the schedule applies to; all when absent. */
  environments?: string[];
}

/**
 * Fails at start-up on a bad cron expression, time zone or duration. `key` is where the schedule
 * sits in the config (e.g. `drift.notifications.maintenanceWindows[0]`): the backend exits with
 * this message, so it names the exact key to fix.
 */
export function validateSchedule(
  schedule: Schedule,
  key = `drift notifications: ${schedule.name}`,
): void {
  try {
    CronExpressionParser.parse(schedule.cron, { tz: schedule.timeZone });
  } catch (error) {
    throw new Error(
      `${key}.cron: ${schedule.name} has an invalid cron expression '${
        schedule.cron
      }' (${(error as Error).message}); use five fields, e.g. '0 2 * * 6'`,
    );
  }
  if (!(schedule.durationMs > 0)) {
    throw new Error(`${key}.duration: must be positive, e.g. { hours: 2 }`);
  }
}

function appliesTo(schedule: Schedule, environment: string): boolean {
  return !schedule.environments || schedule.environments.includes(environment);
}

/** The occurrence of the schedule that contains `at`, if any. */
function occurrenceAt(
  schedule: Schedule,
  at: Date,
): { start: Date; end: Date } | undefined {
  // The latest start at or before `at`: later starts all end later too, so
  // only that one can still be running.
  const expression = CronExpressionParser.parse(schedule.cron, {
    currentDate: new Date(at.getTime() + 1),
    tz: schedule.timeZone,
  });
  const start = expression.prev().getTime();
  const end = start + schedule.durationMs;
  return at.getTime() >= start && at.getTime() < end
    ? { start: new Date(start), end: new Date(end) }
    : undefined;
}

/** The schedule of `schedules` for `environment` that `at` falls in. */
export function activeSchedule(
  schedules: ReadonlyArray<Schedule>,
  environment: string,
  at: Date,
): Schedule | undefined {
  return schedules.find(
    s => appliesTo(s, environment) && occurrenceAt(s, at) !== undefined,
  );
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
      .map(s => occurrenceAt(s, probe)?.end.getTime())
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
