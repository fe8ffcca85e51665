import { isInWindow, validateWindow, windowOccurrenceAt } from './windows';

describe('recurring windows', () => {
  // Saturdays 02:00-04:00 in Berlin (UTC+1 in January).
  const window = {
    cron: '0 2 * * 6',
    durationMs: 2 * 3600e3,
    timeZone: 'Europe/Berlin',
  };

  it('contains the instants from a start (inclusive) to its end (exclusive), in the time zone', () => {
    expect(
      windowOccurrenceAt(window, new Date('2026-01-10T01:30:00Z')),
    ).toEqual({
      start: new Date('2026-01-10T01:00:00Z'),
      end: new Date('2026-01-10T03:00:00Z'),
    });
    expect(isInWindow(window, new Date('2026-01-10T01:00:00Z'))).toBe(true);
    expect(isInWindow(window, new Date('2026-01-10T02:59:59.999Z'))).toBe(true);
    expect(isInWindow(window, new Date('2026-01-10T03:00:00Z'))).toBe(false);
    expect(isInWindow(window, new Date('2026-01-10T00:59:59.999Z'))).toBe(
      false,
    );
    expect(isInWindow(window, new Date('2026-01-11T01:30:00Z'))).toBe(false);
  });

  it('refuses a bad time zone, cron expression or duration, naming the config key and the fix', () => {
    const key = 'x.windows[0]';
    expect(() =>
      validateWindow(
        { ...window, timeZone: 'Mars/Olympus_Mons' },
        key,
        '0 2 * * 6',
      ),
    ).toThrow(
      "x.windows[0].timeZone: 'Mars/Olympus_Mons' is not a time zone; use an IANA name",
    );
    expect(() =>
      validateWindow({ ...window, cron: 'whenever' }, key, '0 2 * * 6'),
    ).toThrow(
      /^x\.windows\[0\]\.cron: 'whenever' is not a valid cron expression \(.*\); use five fields, e\.g\. '0 2 \* \* 6'$/,
    );
    expect(() =>
      validateWindow({ ...window, durationMs: 0 }, key, '0 2 * * 6'),
    ).toThrow('x.windows[0].duration: must be positive');
    expect(() => validateWindow(window, key, '0 2 * * 6')).not.toThrow();
  });
});
