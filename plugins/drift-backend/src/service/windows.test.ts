import { createDriftConfig } from '../config';
import { activeSchedule, quietUntil } from './windows';

const config = createDriftConfig({
  notifications: {
    quietHours: [
      {
        start: '22:00',
        end: '07:00',
        timeZone: 'Europe/Belgrade',
        environments: ['samakia-prod'],
      },
    ],
    maintenanceWindows: [
      {
        name: 'sunday-patching',
        cron: '0 2 * * 0',
        duration: { hours: 3 },
        timeZone: 'Europe/Belgrade',
      },
    ],
  },
});
const { quietHours, maintenanceWindows } = config.notifications;

describe('quiet hours', () => {
  it('holds until the end of the span, across midnight, in the configured time zone', () => {
    // 23:30 in Belgrade (UTC+1 in January) is 22:30 UTC; quiet until 07:00 Belgrade = 06:00 UTC.
    expect(
      quietUntil(quietHours, 'samakia-prod', new Date('2030-01-07T22:30:00Z')),
    ).toEqual(new Date('2030-01-08T06:00:00.000Z'));
    // 05:00 Belgrade, the morning part of the previous evening's span.
    expect(
      quietUntil(quietHours, 'samakia-prod', new Date('2030-01-08T04:00:00Z')),
    ).toEqual(new Date('2030-01-08T06:00:00.000Z'));
  });

  it('is not quiet in the day or in other environments', () => {
    expect(
      quietUntil(quietHours, 'samakia-prod', new Date('2030-01-08T09:00:00Z')),
    ).toBeUndefined();
    expect(
      quietUntil(quietHours, 'samakia-dev', new Date('2030-01-07T22:30:00Z')),
    ).toBeUndefined();
  });
});

describe('maintenance windows', () => {
  it('applies from the cron start for its duration, in every environment when none are listed', () => {
    // Sunday 2030-01-13 02:00-05:00 Belgrade = 01:00-04:00 UTC.
    expect(
      activeSchedule(
        maintenanceWindows,
        'samakia-dev',
        new Date('2030-01-13T03:59:00Z'),
      )?.name,
    ).toBe('sunday-patching');
    expect(
      activeSchedule(
        maintenanceWindows,
        'samakia-dev',
        new Date('2030-01-13T04:00:00Z'),
      ),
    ).toBeUndefined();
    expect(
      activeSchedule(
        maintenanceWindows,
        'samakia-dev',
        new Date('2030-01-13T00:59:00Z'),
      ),
    ).toBeUndefined();
  });
});

describe('drift configuration', () => {
  it('has conservative defaults: 90 days, WARN after 3 runs, every sink off, no tenant routed', () => {
    const defaults = createDriftConfig(undefined);
    expect(defaults.retention.maxAgeMs).toBe(90 * 24 * 3_600_000);
    expect(defaults.notifications).toMatchObject({
      enabled: false,
      warnAfterRuns: 3,
      recipients: [],
      tenants: [],
      external: { enabled: false, webhooks: [] },
    });
    expect(defaults.terraformVerdicts).toEqual({
      modified: 'WARN',
      missing: 'FAIL',
      unmanaged: 'WARN',
    });
    expect(defaults.terraformMapping).toEqual({ nullEqualsEmpty: true });
    expect(
      createDriftConfig({ terraform: { nullEqualsEmpty: false } })
        .terraformMapping,
    ).toEqual({ nullEqualsEmpty: false });
  });

  it('stops start-up with the key and the fix', () => {
    expect(() =>
      createDriftConfig({
        notifications: {
          quietHours: [{ start: '25:00', end: '07:00' }],
          recipients: ['group:default/ops', 'not a ref:'],
        },
        retention: { maxAge: { days: 30 } },
        extra: 1,
      }),
    ).toThrow(
      /drift\.notifications\.quietHours\[0\]\.start: must be a time of day as HH:MM/,
    );
    expect(() =>
      createDriftConfig({
        notifications: {
          maintenanceWindows: [{ cron: 'whenever', duration: { hours: 1 } }],
        },
      }),
    ).toThrow(
      /drift\.notifications\.maintenanceWindows\[0\]\.cron: 'whenever' is not a valid cron expression/,
    );
    expect(() =>
      createDriftConfig({
        notifications: { quietHours: [{ start: '22:00', end: '22:00' }] },
      }),
    ).toThrow(/give a span/);
  });

  it('refuses wildcards in the tenant allowlist and its provider filters, naming the key', () => {
    expect(() =>
      createDriftConfig({
        notifications: { tenants: [{ tenant: '*', providers: ['postgres'] }] },
      }),
    ).toThrow(
      /drift\.notifications\.tenants\[0\]\.tenant: wildcards are not allowed; drift alerts go only to an explicit allowlist, so name each tenant/,
    );
    expect(() =>
      createDriftConfig({
        notifications: {
          tenants: [{ tenant: 'project-birds', providers: ['post*'] }],
        },
      }),
    ).toThrow(
      /drift\.notifications\.tenants\[0\]\.providers\[0\]: wildcards are not allowed/,
    );
    expect(() =>
      createDriftConfig({
        notifications: {
          tenants: [{ tenant: 'project-birds', providers: [] }],
        },
      }),
    ).toThrow(/drift\.notifications\.tenants\[0\]\.providers: is empty/);
    expect(
      createDriftConfig({
        notifications: {
          tenants: [{ tenant: 'project-birds', providers: ['postgres'] }],
        },
      }).notifications.tenants,
    ).toEqual([
      { tenant: 'tenant:default/project-birds', providers: ['postgres'] },
    ]);
  });
});
