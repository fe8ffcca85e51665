import { Decision, Proposal } from '@internal/plugin-approvals-common';
import {
  assessApply,
  expiryReason,
  gateResult,
  validApprovers,
} from './gatePolicy';
import { EnvironmentRules } from './rules';

// The gate policy is pure: no database, no clock; every rule checked on its own here.

const NOW = new Date('2026-11-23T10:00:00.000Z');
const HOUR = 3600_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const rules: EnvironmentRules = {
  production: true,
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
