import { parseWithProblems } from '@internal/plugin-fabric-common';
import {
  DRIFT_CLASSES,
  DRIFT_TAXONOMY,
  driftHistoryQuerySchema,
  driftPermissions,
  driftReportCreatePermission,
  driftReportReadPermission,
  driftRunSubmissionSchema,
  tenantDriftSummary,
  terraformRunParamsSchema,
  worstVerdict,
} from './index';

const run = {
  source: 'ci/drift-nightly',
  environment: 'samakia-prod',
  tenant: 'project-birds',
  findings: [
    {
      provider: 'postgres',
      resource: 'birds-prod/max_connections',
      class: 'capacity',
      verdict: 'FAIL',
      declared: 200,
      observed: 500,
      message: 'max_connections raised by hand',
    },
    { provider: 'rabbitmq', resource: 'birds-dev/vhost', verdict: 'PASS' },
  ],
};

function problems(input: unknown) {
  const result = parseWithProblems(driftRunSubmissionSchema, input, 'run');
  return result.success ? [] : result.problems;
}

describe('drift run schema', () => {
  it('normalises refs and environment, defaults entity and class', () => {
    const parsed = driftRunSubmissionSchema.parse({
      ...run,
      environment: 'resource:default/samakia-prod',
    });
    expect(parsed).toMatchObject({
      tenant: 'tenant:default/project-birds',
      entity: 'tenant:default/project-birds',
      environment: 'samakia-prod',
    });
    expect(parsed.findings.map(f => f.class)).toEqual(['capacity', 'in-sync']);
  });

  it('takes the tenant from a tenant entity and keeps platform runs tenant-less', () => {
    expect(
      driftRunSubmissionSchema.parse({
        ...run,
        tenant: undefined,
        entity: 'tenant:project-orchard',
      }),
    ).toMatchObject({
      tenant: 'tenant:default/project-orchard',
      entity: 'tenant:default/project-orchard',
    });
    const platform = driftRunSubmissionSchema.parse({
      ...run,
      tenant: undefined,
      entity: 'plane:minio',
    });
    expect(platform.tenant).toBeUndefined();
    expect(platform.entity).toBe('plane:default/minio');
  });

  it('refuses a bad run whole, naming each field and the fix', () => {
    expect(
      problems({
        ...run,
        tenant: undefined,
        environment: 'Samakia Prod',
        source: 'has spaces',
        extra: true,
        findings: [
          { provider: 'Postgres', resource: 'x', verdict: 'BROKEN' },
          { provider: 'postgres', resource: 'y', verdict: 'WARN' },
          {
            provider: 'postgres',
            resource: 'y',
            verdict: 'FAIL',
            class: 'in-sync',
          },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        { path: '', message: expect.stringContaining("'extra'") },
        {
          path: 'environment',
          message: expect.stringContaining('give its name, e.g. samakia-prod'),
        },
        { path: 'source', message: expect.stringContaining('no spaces') },
        {
          path: 'findings[0].provider',
          message: expect.stringContaining('lower-case provider name'),
        },
        {
          path: 'findings[0].verdict',
          message: expect.stringContaining('PASS, WARN, FAIL'),
        },
        {
          path: 'findings[1].class',
          message: expect.stringContaining('names its taxonomy class'),
        },
        {
          path: 'findings[2].class',
          message: expect.stringContaining('in-sync cannot be FAIL'),
        },
      ]),
    );
    // Cross-finding checks run once every finding parses.
    expect(
      problems({
        ...run,
        findings: [run.findings[0], run.findings[1], run.findings[0]],
      }),
    ).toEqual([
      {
        path: 'findings[2].resource',
        message:
          'repeats postgres birds-prod/max_connections of findings[0]; report each provider/resource once per run',
      },
    ]);
  });

  it('needs a tenant or an entity, and refuses a tenant entity that contradicts the tenant', () => {
    expect(problems({ ...run, tenant: undefined })).toEqual([
      {
        path: 'tenant',
        message: expect.stringContaining('name the tenant (project-birds)'),
      },
    ]);
    expect(problems({ ...run, entity: 'tenant:project-orchard' })).toEqual([
      { path: 'entity', message: expect.stringContaining('make them agree') },
    ]);
    expect(problems({ ...run, entity: 'group:team-birds' })).toEqual([
      { path: 'entity', message: expect.stringContaining('group') },
    ]);
  });

  it('bounds declared and observed values', () => {
    const big = 'x'.repeat(40_000);
    expect(
      problems({
        ...run,
        findings: [{ ...run.findings[0], observed: { blob: big } }],
      }),
    ).toEqual([
      {
        path: 'findings[0].observed',
        message: expect.stringContaining('only the attributes that differ'),
      },
    ]);
  });

  it('reads Terraform parameters with a default source', () => {
    expect(
      terraformRunParamsSchema.parse({
        environment: 'samakia-prod',
        entity: 'plane:minio',
      }),
    ).toMatchObject({ source: 'terraform', entity: 'plane:default/minio' });
    expect(
      terraformRunParamsSchema.safeParse({ environment: 'samakia-prod' })
        .success,
    ).toBe(false);
  });

  it('coerces history limits from the query string', () => {
    expect(driftHistoryQuerySchema.parse({ limit: '20' }).limit).toBe(20);
    expect(driftHistoryQuerySchema.safeParse({ limit: '0' }).success).toBe(
      false,
    );
  });
});

describe('verdicts, taxonomy and permissions', () => {
  it('takes the worst verdict, PASS when nothing differs', () => {
    expect(worstVerdict([])).toBe('PASS');
    expect(worstVerdict(['PASS', 'WARN'])).toBe('WARN');
    expect(worstVerdict(['WARN', 'FAIL', 'PASS'])).toBe('FAIL');
  });

  it('describes every class for operators and for tenants', () => {
    for (const c of DRIFT_CLASSES) {
      expect(DRIFT_TAXONOMY[c].description.length).toBeGreaterThan(10);
      expect(DRIFT_TAXONOMY[c].tenantPhrase.length).toBeGreaterThan(10);
    }
  });

  it('has a basic create permission for CI and a tenant-scoped read permission', () => {
    expect(driftPermissions.map(p => p.name)).toEqual([
      'drift.report.create',
      'drift.report.read',
    ]);
    expect(driftReportCreatePermission.type).toBe('basic');
    expect(driftReportReadPermission).toMatchObject({
      type: 'resource',
      resourceType: 'drift-report',
    });
  });
});

describe('tenant summary', () => {
  const runSummary = {
    id: 'r1',
    source: 'ci',
    environment: 'samakia-prod',
    entity: 'tenant:default/project-birds',
    format: 'json' as const,
    observedAt: '2030-01-07T10:00:00.000Z',
    receivedAt: '2030-01-07T10:00:00.000Z',
    verdict: 'FAIL' as const,
    counts: { pass: 1, warn: 0, fail: 1 },
    providers: ['postgres', 'rabbitmq'],
    submittedBy: 'external:fabric-ci',
  };
  const finding = {
    runId: 'r1',
    environment: 'samakia-prod',
    source: 'ci',
    entity: 'tenant:default/project-birds',
    observedAt: runSummary.observedAt,
  };

  it('says when nothing has been checked yet', () => {
    expect(
      tenantDriftSummary('project-birds', {
        verdict: 'PASS',
        runs: [],
        findings: [],
      }),
    ).toMatchObject({ verdict: 'NONE', lines: [] });
  });

  it('phrases differences for the tenant, worst first', () => {
    const summary = tenantDriftSummary('project-birds', {
      verdict: 'FAIL',
      runs: [runSummary],
      findings: [
        {
          ...finding,
          provider: 'rabbitmq',
          resource: 'vhost',
          class: 'version',
          verdict: 'WARN',
        },
        {
          ...finding,
          provider: 'postgres',
          resource: 'max_connections',
          class: 'capacity',
          verdict: 'FAIL',
          message: 'raised by hand',
        },
        {
          ...finding,
          provider: 'postgres',
          resource: 'db',
          class: 'in-sync',
          verdict: 'PASS',
        },
      ],
    });
    expect(summary.headline).toBe(
      "2 of your resources differ from your contract; 1 need the platform team's attention (FAIL).",
    );
    expect(summary.lines).toEqual([
      'postgres in samakia-prod: max_connections has different capacity or limits than your contract (FAIL) - raised by hand',
      'rabbitmq in samakia-prod: vhost runs a different version than your contract declares (WARN)',
    ]);
    expect(summary.advice).toContain('Nothing is changed automatically');
  });

  it('confirms a clean tenant', () => {
    expect(
      tenantDriftSummary('project-birds', {
        verdict: 'PASS',
        runs: [{ ...runSummary, verdict: 'PASS' }],
        findings: [],
      }).headline,
    ).toBe(
      'Everything the platform checked for project-birds matches your contract (samakia-prod).',
    );
  });
});
