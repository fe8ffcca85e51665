import { ChangeWindowSchedule } from '@internal/plugin-approvals-common';
import { CronExpressionParser } from 'cron-parser';

export type { ChangeWindowSchedule };

export interface WindowCheck {
  open: boolean;
  /** Why the window is closed (when it is). */
  message?: string;
}

/**
 * Checks a schedule up front so bad configuration fails at start-up. `key` is where the window
 * sits in the config (e.g. `approvals.environments.production.changeWindows[0]`): each message
 * names the exact key to fix, since the backend exits with it.
 */
export function validateSchedule(
  schedule: ChangeWindowSchedule,
  key = `change window ${schedule.name ?? schedule.cron}`,
): void {
  try {
    // Throws a RangeError for a name that is not a time zone.
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en-US', { timeZone: schedule.timeZone });
  } catch {
    throw new Error(
      `${key}.timeZone: '${schedule.timeZone}' is not a time zone; use an IANA name such as UTC or Europe/Berlin`,
    );
  }
  try {
    CronExpressionParser.parse(schedule.cron, { tz: schedule.timeZone });
  } catch (error) {
    throw new Error(
      `${key}.cron: '${schedule.cron}' is not a valid cron expression (${
        (error as Error).message
      }); use five fields, e.g. '0 9 * * 1-5'`,
    );
  }
  if (!(schedule.durationMs > 0)) {
    throw new Error(`${key}.duration: must be positive, e.g. { hours: 8 }`);
  }
}

/** Whether `at` lies inside one occurrence of the schedule. */
export function isInSchedule(
  schedule: ChangeWindowSchedule,
  at: Date,
): boolean {
  // The latest start at or before `at`; later starts all end later too, so
  // only that one can still be running.
  const expression = CronExpressionParser.parse(schedule.cron, {
    currentDate: new Date(at.getTime() + 1),
    tz: schedule.timeZone,
  });
  const start = expression.prev().getTime();
  return at.getTime() >= start && at.getTime() < start + schedule.durationMs;
}

/**
 * Deny beats allow: inside any deny window the change is refused; otherwise,
 * when allow windows exist, it must fall inside one; with no allow windows
 * any time outside a deny window is fine.
 */
export function checkChangeWindows(
  schedules: ReadonlyArray<ChangeWindowSchedule>,
  at: Date,
): WindowCheck {
  const deny = schedules.find(s => s.kind === 'deny' && isInSchedule(s, at));
  if (deny) {
    return {
      open: false,
      message: `${at.toISOString()} is inside the deny window ${
        deny.name ?? deny.cron
      } (${deny.timeZone})`,
    };
  }
  const allows = schedules.filter(s => s.kind === 'allow');
  if (allows.length === 0 || allows.some(s => isInSchedule(s, at))) {
    return { open: true };
  }
  return {
    open: false,
    message: `${at.toISOString()} is outside every allow window (${allows
      .map(s => `${s.name ?? s.cron} ${s.timeZone}`)
      .join('; ')})`,
  };
}
