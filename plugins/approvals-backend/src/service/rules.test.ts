import { ConfigReader } from '@backstage/config';
import { readApprovalsRules } from './rules';

// The backend exits when these throw (packages/backend/src/index.ts): each message must name
// the config key to fix.

function withWindow(window: object) {
  return new ConfigReader({
    approvals: { environments: { production: { changeWindows: [window] } } },
  });
}

const good = { kind: 'allow', cron: '0 9 * * 1-5', duration: { hours: 8 } };

describe('readApprovalsRules change windows', () => {
  it('reads a valid window', () => {
    const rules = readApprovalsRules(withWindow(good));
    expect(rules.forEnvironment('production').changeWindows).toEqual([
      expect.objectContaining({ cron: '0 9 * * 1-5', durationMs: 8 * 3600e3 }),
    ]);
  });

  it.each([
    [
      { ...good, cron: '0 61 * * *' },
      "approvals.environments.production.changeWindows[0].cron: '0 61 * * *' is not a valid cron expression",
    ],
    [
      { ...good, timeZone: 'Mars/Olympus_Mons' },
      "approvals.environments.production.changeWindows[0].timeZone: 'Mars/Olympus_Mons' is not a time zone",
    ],
    [
      { ...good, kind: 'maybe' },
      "approvals.environments.production.changeWindows[0].kind: must be allow or deny, got 'maybe'",
    ],
    [
      { ...good, duration: { hours: 0 } },
      'approvals.environments.production.changeWindows[0].duration: must be positive',
    ],
  ])('names the key of a bad window: %j', (window, message) => {
    expect(() => readApprovalsRules(withWindow(window))).toThrow(message);
  });
});
