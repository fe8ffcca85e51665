import { CronExpressionParser } from 'cron-parser';
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

  describe('answers from the occurrence it found last', () => {
    // Across the spring DST change in Berlin (2026-03-29 02:00 -> 03:00) and a daily
    // window that starts in the skipped hour on that day.
    const daily = {
      cron: '30 2 * * *',
      durationMs: 90 * 60e3,
      timeZone: 'Europe/Berlin',
    };
    const instants: number[] = [];
    for (
      let t = Date.parse('2026-03-26T00:00:00Z');
      t < Date.parse('2026-04-02T00:00:00Z');
      t += 17 * 60e3 + 13e3
    ) {
      instants.push(t);
    }

    it.each([
      ['in time order', instants],
      ['backwards', [...instants].reverse()],
      [
        'jumping back and forth',
        instants.map((_, i) => instants[(i * 7919) % instants.length]),
      ],
    ])('gives the same answer as a fresh parse, asked %s', (_, order) => {
      for (const w of [window, daily]) {
        for (const t of order) {
          const at = new Date(t);
          // A copy of the window is another key: nothing cached for it.
          expect(windowOccurrenceAt(w, at)).toEqual(
            windowOccurrenceAt({ ...w }, at),
          );
        }
      }
    });

    it('does not parse the expression again within one occurrence', () => {
      const hourly = {
        cron: '0 * * * *',
        durationMs: 10 * 60e3,
        timeZone: 'UTC',
      };
      const parse = jest.spyOn(CronExpressionParser, 'parse');
      try {
        for (let s = 0; s < 3600; s += 5) {
          isInWindow(
            hourly,
            new Date(Date.parse('2026-05-01T10:00:00Z') + s * 1e3),
          );
        }
        expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
        isInWindow(hourly, new Date('2026-05-01T11:00:00Z'));
        expect(parse.mock.calls.length).toBeLessThanOrEqual(4);
      } finally {
        parse.mockRestore();
      }
    });
  });
});
