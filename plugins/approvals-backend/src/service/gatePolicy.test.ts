import { Decision, Proposal } from '@internal/plugin-approvals-common';
import {
  assessApply,
  expiryReason,
  gateResult,
  productionReasons,
  validApprovers,
} from './gatePolicy';
import { EnvironmentRules } from './rules';

// The gate policy is pure: no database, no clock; every rule checked on its own here.

const NOW = new Date('2026-11-23T10:00:00.000Z');
const HOUR = 3600_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

// Production has rules of its own (a window and signatures), tested on their own below.
const rules: EnvironmentRules = {
  production: false,
  requiredApprovals: 2,
  requireSignature: false,
  approvalTtlMs: 72 * HOUR,
  changeWindows: [],
};

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p1',
    tenant: 'tenant:default/project-birds',
    type: 'other',
    environment: 'resource:default/samakia-prod',
    title: 't',
    change: {},
    requester: 'user:default/bea',
    evidence: [],
    submittedAt: iso(-HOUR),
    digest: 'a'.repeat(64),
    state: 'approved',
    version: 3,
    updatedAt: iso(-HOUR),
    ...overrides,
  };
}

const approval = (actor: string, expiresInMs: number): Decision => ({
  id: `d-${actor}`,
  proposalId: 'p1',
  kind: 'approval',
  actor,
  decidedAt: iso(-HOUR),
  expiresAt: iso(expiresInMs),
});

describe('gate policy', () => {
  it('counts each approver once, and only while their approval is valid', () => {
    const decisions = [
      approval('olga', HOUR),
      approval('olga', 2 * HOUR),
      approval('oscar', -1),
    ];
    expect(validApprovers(decisions, NOW.toISOString())).toEqual(['olga']);
  });

  it('allows an approved proposal with enough valid approvals', () => {
    const result = gateResult(
      proposal(),
      assessApply(
        proposal(),
        [approval('olga', HOUR), approval('oscar', HOUR)],
        rules,
        NOW,
      ),
      NOW,
    );
    expect(result).toEqual({
      proposalId: 'p1',
      state: 'approved',
      allowed: true,
      reasons: [],
      evaluatedAt: NOW.toISOString(),
    });
  });

  it('refuses when an approval lapsed, saying so', () => {
    const { reasons } = assessApply(
      proposal(),
      [approval('olga', HOUR), approval('oscar', 0)],
      rules,
      NOW,
    );
    expect(reasons).toEqual([
      {
        code: 'approvals-expired',
        message:
          '1 approval(s) expired; 1 of 2 required approvals are valid now',
      },
    ]);
  });

  it('refuses a proposal that is not approved yet, and one with missing approvals', () => {
    const { reasons } = assessApply(
      proposal({ state: 'in-review' }),
      [approval('olga', HOUR)],
      rules,
      NOW,
    );
    expect(reasons.map(r => r.code)).toEqual([
      'not-approved',
      'missing-approvals',
    ]);
  });

  it('gives a finished proposal only the reason it is finished', () => {
    const { reasons } = assessApply(
      proposal({
        state: 'rejected',
        validation: {
          ok: false,
          checkedAt: iso(0),
          problems: [{ path: 'change', message: 'bad' }],
        },
      }),
      [],
      rules,
      NOW,
    );
    expect(reasons.map(r => r.code)).toEqual(['validation-failed', 'rejected']);
    expect(
      assessApply(
        proposal({ state: 'applied', appliedReference: 'mr!1' }),
        [],
        rules,
        NOW,
      ).reasons,
    ).toEqual([
      {
        code: 'already-applied',
        message: 'proposal p1 is already applied (mr!1)',
      },
    ]);
  });

  it('refuses outside the change windows', () => {
    const { reasons } = assessApply(
      proposal(),
      [approval('olga', HOUR), approval('oscar', HOUR)],
      {
        ...rules,
        // Allowed only on Sundays; NOW is a Monday.
        changeWindows: [
          {
            kind: 'allow',
            cron: '0 0 * * 0',
            durationMs: 24 * HOUR,
            timeZone: 'UTC',
          },
        ],
      },
      NOW,
    );
    expect(reasons.map(r => r.code)).toEqual(['outside-window']);
  });

  it('expires an approved proposal whose approvals lapsed, and an undecided one after the review time', () => {
    expect(
      expiryReason(
        proposal(),
        [approval('olga', HOUR)],
        rules,
        14 * 24 * HOUR,
        NOW,
      ),
    ).toBe('only 1 of 2 approvals are still valid');
    expect(
      expiryReason(
        proposal({ state: 'in-review', submittedAt: iso(-15 * 24 * HOUR) }),
        [],
        rules,
        14 * 24 * HOUR,
        NOW,
      ),
    ).toBe(`not decided by ${iso(-HOUR * 24)}`);
    expect(
      expiryReason(
        proposal({ state: 'in-review' }),
        [],
        rules,
        14 * 24 * HOUR,
        NOW,
      ),
    ).toBeUndefined();
  });
});

describe('production without a window or signatures', () => {
  const anyTime = {
    kind: 'allow' as const,
    cron: '* * * * *',
    durationMs: 60_000,
    timeZone: 'UTC',
  };
  const prod: EnvironmentRules = {
    ...rules,
    production: true,
    requireSignature: true,
    changeWindows: [anyTime],
  };

  it('an unconfigured production environment (no window) is refused at the gate', () => {
    const assessment = assessApply(
      proposal(),
      [approval('user:default/olga', HOUR), approval('user:default/oscar', HOUR)],
      { ...prod, changeWindows: [] },
      NOW,
    );
    expect(assessment.reasons.map(r => r.code)).toEqual(['no-change-window']);
  });

  it('a deny window is not a window to apply in, and unsigned production is refused', () => {
    expect(
      productionReasons({
        ...prod,
        requireSignature: false,
        changeWindows: [{ ...anyTime, kind: 'deny' }],
      }).map(r => r.code),
    ).toEqual(['no-change-window', 'unsigned-production']);
  });

  it('production with an allow window and signatures passes, non-production needs neither', () => {
    expect(productionReasons(prod)).toEqual([]);
    expect(productionReasons(rules)).toEqual([]);
  });
});
