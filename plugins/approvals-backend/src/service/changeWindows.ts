import { ChangeWindowSchedule } from '@internal/plugin-approvals-common';
import { isInWindow, validateWindow } from '@internal/plugin-fabric-node';

export type { ChangeWindowSchedule };

export interface WindowCheck {
  open: boolean;
  /** Why the window is closed (when it is). */
  message?: string;
}

/** Checks a change window up front (see fabric-node's validateWindow). */
export function validateSchedule(
  schedule: ChangeWindowSchedule,
  key = `change window ${schedule.name ?? schedule.cron}`,
): void {
  validateWindow(schedule, key, '0 9 * * 1-5');
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
  const deny = schedules.find(s => s.kind === 'deny' && isInWindow(s, at));
  if (deny) {
    return {
      open: false,
      message: `${at.toISOString()} is inside the deny window ${
        deny.name ?? deny.cron
      } (${deny.timeZone})`,
    };
  }
  const allows = schedules.filter(s => s.kind === 'allow');
  if (allows.length === 0 || allows.some(s => isInWindow(s, at))) {
    return { open: true };
  }
  return {
    open: false,
    message: `${at.toISOString()} is outside every allow window (${allows
      .map(s => `${s.name ?? s.cron} ${s.timeZone}`)
      .join('; ')})`,
  };
}
