import type { RecurringWindow } from '@internal/plugin-fabric-common';
import { CronExpressionParser } from 'cron-parser';

/**
 * Checks a window up front so bad configuration fails at start-up. `key` is where the window
 * sits in the config (e.g. `drift.notifications.maintenanceWindows[0]`): the backend exits
 * with this message, so each line names the exact key to fix; `example` is a cron expression
 * that suits the kind of window.
 */
export function validateWindow(
  window: RecurringWindow,
  key: string,
  example: string,
): void {
  try {
    // Throws a RangeError for a name that is not a time zone.
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en-US', { timeZone: window.timeZone });
  } catch {
    throw new Error(
      `${key}.timeZone: '${window.timeZone}' is not a time zone; use an IANA name such as UTC or Europe/Berlin`,
    );
  }
  try {
    CronExpressionParser.parse(window.cron, { tz: window.timeZone });
  } catch (error) {
    throw new Error(
      `${key}.cron: '${window.cron}' is not a valid cron expression (${
        (error as Error).message
      }); use five fields, e.g. '${example}'`,
    );
  }
  if (!(window.durationMs > 0)) {
    throw new Error(`${key}.duration: must be positive, e.g. { hours: 2 }`);
  }
}

/**
 * For each window, the last start found and the start after it: every instant between the two
 * has that same latest start, so the gate (asked hundreds of times a second) parses the cron
 * expression once per occurrence instead of once per question. Keyed by the window object,
 * which the configuration readers create once.
 */
const brackets = new WeakMap<
  RecurringWindow,
  { from: number; until: number }
>();

/** The latest start of the window at or before `at`, in epoch milliseconds. */
function latestStart(window: RecurringWindow, at: number): number {
  const cached = brackets.get(window);
  if (cached && at >= cached.from && at < cached.until) return cached.from;
  const from = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(at + 1),
    tz: window.timeZone,
  })
    .prev()
    .getTime();
  const until = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(at),
    tz: window.timeZone,
  })
    .next()
    .getTime();
  brackets.set(window, { from, until });
  return from;
}

/** The occurrence of the window that contains `at` (start inclusive, end exclusive), if any. */
export function windowOccurrenceAt(
  window: RecurringWindow,
  at: Date,
): { start: Date; end: Date } | undefined {
  // The latest start at or before `at`: later starts all end later too, so only that one
  // can still be running.
  const start = latestStart(window, at.getTime());
  const end = start + window.durationMs;
  return at.getTime() >= start && at.getTime() < end
    ? { start: new Date(start), end: new Date(end) }
    : undefined;
}

/** Whether `at` lies inside one occurrence of the window. */
export function isInWindow(window: RecurringWindow, at: Date): boolean {
  return windowOccurrenceAt(window, at) !== undefined;
}
