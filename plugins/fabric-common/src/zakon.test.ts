import { checkZakonApproval, formatZakonBlockedMessage } from './zakon';
import { parseZakonRuleEntity } from './parse';
import {
  problemsOf,
  validActiveRule,
  validLegacyRule,
  withField,
} from './testing/fixtures';

function blockedProblems(rule: unknown) {
  const result = checkZakonApproval(rule);
  if (result.approved) {
    throw new Error('expected the rule to be blocked, but it was approved');
  }
  return result.problems;
}

describe('ZakonRule schema', () => {
  it('accepts valid rules', () => {
    expect(parseZakonRuleEntity(validActiveRule()).success).toBe(true);
    expect(parseZakonRuleEntity(validLegacyRule()).success).toBe(true);
  });

  it('rejects an unknown status, listing the known ones', () => {
    const rule = withField(validActiveRule(), 'spec.status', 'live');
    expect(problemsOf(parseZakonRuleEntity(rule))).toEqual([
      {
        path: 'spec.status',
        message:
          '"live" is not a ZAKON status; use one of: legacy-pre-registry, approved-pending-author, approved-live, active',
      },
    ]);
  });

  it.each([
    [
      'trackingTask',
      '99911',
      '"99911" is not a tracking task key; write the task as PROJECT-NUMBER, e.g. MC-99911',
    ],
    [
      'approvalDate',
      '2026-02-30',
      '"2026-02-30" is not a calendar date; write it as YYYY-MM-DD in quotes, e.g. \'2026-05-12\'',
    ],
    [
      'publishedSha256',
      'b17e7ce1',
      '"b17e7ce1" is not a sha256 digest; record the 64 hexadecimal characters printed by sha256sum',
    ],
    [
      'ruleFile',
      'rules/blueprint.md',
      '"rules/blueprint.md" is not a ZAKON rule file; the registry gate only covers files named zakon-<id>.md, e.g. rules/zakon-blueprint-enforcement.md',
    ],
    [
      'escapeValve',
      { variable: 'blueprint-override' },
      '"blueprint-override" is not an environment variable name; use upper-case letters, digits and \'_\', e.g. BLUEPRINT_OVERRIDE',
    ],
    [
      'enforcement',
      ['registry-gate', 'cron'],
      '"cron" is not allowed; use one of: pre-tool-use-hook, post-tool-use-hook, nightly-daemon, registry-gate',
    ],
    [
      'governs',
      ['minio'],
      '"minio" is not an entity reference; write kind:[namespace/]name, e.g. component:default/minio',
    ],
  ])('rejects a bad %s', (field, value, message) => {
    const rule = withField(validActiveRule(), `spec.${field}`, value);
    const [problem] = problemsOf(parseZakonRuleEntity(rule));
    expect(problem.message).toBe(message);
    expect(problem.path.startsWith(`spec.${field}`)).toBe(true);
  });

  it('requires the id to equal metadata.name', () => {
    const rule = withField(validActiveRule(), 'spec.id', 'blueprint');
    expect(problemsOf(parseZakonRuleEntity(rule))).toEqual([
      {
        path: 'spec.id',
        message:
          "'blueprint' differs from metadata.name 'blueprint-enforcement'; a rule's entity name is its registry id, make them equal",
      },
    ]);
  });

  it('requires at least one scope glob and enforcement layer', () => {
    let rule = withField(validActiveRule(), 'spec.inScope', []);
    rule = withField(rule, 'spec.enforcement', []);
    expect(problemsOf(parseZakonRuleEntity(rule))).toEqual([
      { path: 'spec.inScope', message: 'needs at least 1 entry; add one' },
      { path: 'spec.enforcement', message: 'needs at least 1 entry; add one' },
    ]);
  });

  it('rejects a duplicate enforcement layer', () => {
    const rule = withField(validActiveRule(), 'spec.enforcement', [
      'registry-gate',
      'registry-gate',
    ]);
    expect(problemsOf(parseZakonRuleEntity(rule))).toEqual([
      {
        path: 'spec.enforcement[1]',
        message: 'registry-gate is listed twice; list it once',
      },
    ]);
  });
});

describe('checkZakonApproval', () => {
  it('approves an active rule with every approval', () => {
    expect(checkZakonApproval(validActiveRule())).toEqual({
      approved: true,
      rule: validActiveRule(),
    });
  });

  it('approves a grandfathered legacy rule without tracking task or date', () => {
    expect(checkZakonApproval(validLegacyRule()).approved).toBe(true);
  });

  it('approves an approved-pending-author rule without a published sha256', () => {
    let rule = withField(
      validActiveRule(),
      'spec.status',
      'approved-pending-author',
    );
    rule = withField(rule, 'spec.publishedSha256', undefined);
    expect(checkZakonApproval(rule).approved).toBe(true);
  });

  it('blocks a legacy rule without the grandfathered token', () => {
    const rule = withField(
      validLegacyRule(),
      'spec.approvalToken',
      '[CEO_APPROVED]',
    );
    expect(blockedProblems(rule)).toEqual([
      {
        path: 'spec.approvalToken',
        message:
          "status legacy-pre-registry needs the token GRANDFATHERED-PRE-2026-05-12 (got '[CEO_APPROVED]'); only the rules grandfathered on 2026-05-12 are legacy, so a new rule goes through the registry gate instead: status approved-pending-author with [CEO_APPROVED], a tracking task and an approval date",
      },
    ]);
  });

  it.each(['active', 'approved-pending-author'])(
    'blocks a %s rule with a missing token, tracking task and date',
    status => {
      let rule = withField(validActiveRule(), 'spec.status', status);
      rule = withField(rule, 'spec.approvalToken', undefined);
      rule = withField(rule, 'spec.trackingTask', undefined);
      rule = withField(rule, 'spec.approvalDate', undefined);
      expect(blockedProblems(rule)).toEqual([
        {
          path: 'spec.approvalToken',
          message: `status ${status} needs the approval token [CEO_APPROVED] (it is missing); get the CEO approval on the rule's tracking task and record the token exactly as [CEO_APPROVED]`,
        },
        {
          path: 'spec.trackingTask',
          message: `status ${status} needs the tracking task that carries the approval (it is missing); add it, e.g. trackingTask: MC-99911`,
        },
        {
          path: 'spec.approvalDate',
          message: `status ${status} needs the date of the approval (it is missing); add it as approvalDate: 'YYYY-MM-DD'`,
        },
      ]);
    },
  );

  it('blocks the grandfathered token on an active rule', () => {
    const rule = withField(
      validActiveRule(),
      'spec.approvalToken',
      'GRANDFATHERED-PRE-2026-05-12',
    );
    expect(blockedProblems(rule)).toEqual([
      expect.objectContaining({
        path: 'spec.approvalToken',
        message: expect.stringContaining(
          "needs the approval token [CEO_APPROVED] (got 'GRANDFATHERED-PRE-2026-05-12')",
        ),
      }),
    ]);
  });

  it('blocks a token that only resembles the approval token', () => {
    const rule = withField(
      validActiveRule(),
      'spec.approvalToken',
      'CEO_APPROVED',
    );
    expect(blockedProblems(rule)).toHaveLength(1);
  });

  it('blocks an active rule without a published sha256', () => {
    const rule = withField(
      validActiveRule(),
      'spec.publishedSha256',
      undefined,
    );
    expect(blockedProblems(rule)).toEqual([
      {
        path: 'spec.publishedSha256',
        message:
          'status active needs the sha256 of the published rule file (it is missing); record the 64-hex digest of the published file, or keep status approved-pending-author until it is published',
      },
    ]);
  });

  it('accepts approved-live, the second status seed 003 names, with the CEO token', () => {
    const rule = withField(validActiveRule(), 'spec.status', 'approved-live');
    expect(checkZakonApproval(rule)).toMatchObject({ approved: true });
    const unapproved = withField(rule, 'spec.approvalToken', 'ok by me');
    expect(blockedProblems(unapproved)).toEqual([
      expect.objectContaining({
        path: 'spec.approvalToken',
        message: expect.stringContaining(
          'status approved-live needs the approval token [CEO_APPROVED]',
        ),
      }),
    ]);
  });

  it('blocks an unknown status', () => {
    const rule = withField(validActiveRule(), 'spec.status', 'live');
    expect(blockedProblems(rule)).toEqual([
      expect.objectContaining({ path: 'spec.status' }),
    ]);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'blueprint-enforcement'],
    ['a rule without spec', withField(validActiveRule(), 'spec', undefined)],
  ])('blocks %s', (_label, input) => {
    expect(blockedProblems(input).length).toBeGreaterThan(0);
  });

  it('formats a blocked message that names the rule and the fixes', () => {
    const rule = withField(validActiveRule(), 'spec.approvalToken', undefined);
    expect(formatZakonBlockedMessage(rule, blockedProblems(rule))).toBe(
      'ZakonRule zakonrule:default/blueprint-enforcement is blocked by the ZAKON approval gate (fail closed) and is not ingested until fixed:\n' +
        "- spec.approvalToken: status active needs the approval token [CEO_APPROVED] (it is missing); get the CEO approval on the rule's tracking task and record the token exactly as [CEO_APPROVED]",
    );
  });
});
