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

describe('production defaults (seed 000:569): a change window and signed approvals', () => {
  const prod = (env: object, name = 'samakia-prod') =>
    new ConfigReader({ approvals: { environments: { [name]: env } } });

  it('refuses to start with a production environment without a window', () => {
    expect(() =>
      readApprovalsRules(prod({ production: true, requiredApprovals: 2 })),
    ).toThrow(
      'approvals.environments.samakia-prod.changeWindows: a production environment needs at least one allow window',
    );
  });

  it('a deny window alone is no window to apply in', () => {
    expect(() =>
      readApprovalsRules(
        prod({ changeWindows: [{ ...good, kind: 'deny' }] }, 'carbon-prod'),
      ),
    ).toThrow('approvals.environments.carbon-prod.changeWindows');
  });

  it('refuses to start with unsigned production approvals', () => {
    expect(() =>
      readApprovalsRules(
        prod({ requireSignature: false, changeWindows: [good] }),
      ),
    ).toThrow(
      'approvals.environments.samakia-prod.requireSignature: a production environment needs signed approvals',
    );
  });

  it('refuses to start with a single production approval', () => {
    expect(() =>
      readApprovalsRules(prod({ requiredApprovals: 1, changeWindows: [good] })),
    ).toThrow(
      'approvals.environments.samakia-prod.requiredApprovals: a production environment needs at least 2 approvals, got 1',
    );
  });

  it('a name ending in prod counts as production unless it says otherwise', () => {
    expect(() => readApprovalsRules(prod({}, 'prod'))).toThrow(
      'approvals.environments.prod.changeWindows',
    );
    const rules = readApprovalsRules(
      prod({ production: false, requireSignature: false }, 'runop-prod'),
    );
    expect(rules.forEnvironment('runop-prod')).toMatchObject({
      production: false,
      requireSignature: false,
    });
  });

  it('accepts the shipped production shape', () => {
    const rules = readApprovalsRules(
      prod({ production: true, requiredApprovals: 2, changeWindows: [good] }),
    );
    expect(rules.forEnvironment('samakia-prod')).toMatchObject({
      production: true,
      requiredApprovals: 2,
      requireSignature: true,
    });
  });
});

describe('promotionPacketKinds (seed 004: EvalReport, DatasetManifest, compatibility)', () => {
  const env = (kinds: string | string[]) =>
    new ConfigReader({
      approvals: {
        environments: { dev: { promotionPacketKinds: kinds }, staging: {} },
      },
    });

  it('reads the kinds per environment; an environment without them requires none', () => {
    const rules = readApprovalsRules(
      env(['eval-report', 'dataset-manifest', 'compatibility', 'eval-report']),
    );
    expect(rules.forEnvironment('resource:default/dev')).toMatchObject({
      promotionPacketKinds: [
        'eval-report',
        'dataset-manifest',
        'compatibility',
      ],
    });
    expect(rules.forEnvironment('staging').promotionPacketKinds).toEqual([]);
    expect(rules.forEnvironment('unconfigured').promotionPacketKinds).toEqual(
      [],
    );
  });

  it('refuses to start with a kind the gate does not know, naming the key and the choices', () => {
    expect(() =>
      readApprovalsRules(env(['eval-report', 'EvalReport'])),
    ).toThrow(
      "approvals.environments.dev.promotionPacketKinds[1]: unknown packet kind 'EvalReport'; use one of eval-report, dataset-manifest, compatibility, plan, verification, other",
    );
  });

  it('refuses a value that is not a list of strings', () => {
    expect(() => readApprovalsRules(env('eval-report'))).toThrow(
      /approvals\.environments\.dev\.promotionPacketKinds/,
    );
  });
});
