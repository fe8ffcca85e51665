/**
 * A recurring span of time: it starts at each tick of a five-field cron expression in a time
 * zone and lasts `durationMs`. The one shape behind approvals' change windows, drift's
 * maintenance windows and drift's quiet hours; the backends evaluate it with fabric-node's
 * `windowOccurrenceAt`.
 */
export interface RecurringWindow {
  cron: string;
  durationMs: number;
  /** An IANA time zone name such as `UTC` or `Europe/Berlin`. */
  timeZone: string;
  name?: string;
}
