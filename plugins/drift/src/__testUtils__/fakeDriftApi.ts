import type {
  DriftCurrent,
  DriftHistory,
  DriftOverview,
  DriftRunSummary,
} from '@internal/plugin-drift-common';
import type { DriftApi } from '../api/DriftApi';

export function makeRun(
  overrides: Partial<DriftRunSummary> = {},
): DriftRunSummary {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    source: 'ci/drift-nightly',
    environment: 'samakia-prod',
    tenant: 'tenant:default/project-birds',
    entity: 'tenant:default/project-birds',
    format: 'json',
    observedAt: '2030-01-07T10:00:00.000Z',
    receivedAt: '2030-01-07T10:00:01.000Z',
    verdict: 'FAIL',
    counts: { pass: 1, warn: 0, fail: 1 },
    providers: ['postgres', 'rabbitmq'],
    runUrl: 'https://ci.example.com/jobs/42',
    submittedBy: 'fabric-ci',
    ...overrides,
  };
}

const failing = makeRun();
const earlierPass = makeRun({
  id: '22222222-2222-4222-8222-222222222222',
  observedAt: '2030-01-06T10:00:00.000Z',
  verdict: 'PASS',
  counts: { pass: 2, warn: 0, fail: 0 },
});

export function makeCurrent(
  overrides: Partial<DriftCurrent> = {},
): DriftCurrent {
  return {
    audience: 'platform',
    verdict: 'FAIL',
    runs: [failing],
    findings: [
      {
        runId: failing.id,
        provider: 'postgres',
        resource: 'birds-prod/max_connections',
        resourceType: 'postgres_setting',
        class: 'capacity',
        verdict: 'FAIL',
        declared: 200,
        observed: 500,
        message: 'raised by hand',
        environment: 'samakia-prod',
        source: 'ci/drift-nightly',
        entity: failing.entity,
        tenant: failing.tenant,
        observedAt: failing.observedAt,
        runbook: {
          ref: 'resource:default/backup-and-restore',
          title: 'Backup and restore of data services',
        },
      },
      {
        runId: failing.id,
        provider: 'rabbitmq',
        resource: 'birds-dev/vhost',
        class: 'in-sync',
        verdict: 'PASS',
        environment: 'samakia-prod',
        source: 'ci/drift-nightly',
        entity: failing.entity,
        tenant: failing.tenant,
        observedAt: failing.observedAt,
      },
    ],
    providers: [
      { provider: 'postgres', verdict: 'FAIL' },
      { provider: 'rabbitmq', verdict: 'PASS' },
    ],
    runbook: {
      ref: 'resource:default/drift-review',
      title: 'Drift signal review',
    },
    ...overrides,
  };
}

export function makeHistory(
  overrides: Partial<DriftHistory> = {},
): DriftHistory {
  return { audience: 'platform', items: [earlierPass, failing], ...overrides };
}

export function makeOverview(
  overrides: Partial<DriftOverview> = {},
): DriftOverview {
  return {
    audience: 'platform',
    providers: ['mariadb', 'minio', 'postgres'],
    rows: [
      {
        subject: 'tenant:default/project-orchard',
        kind: 'tenant',
        verdict: 'FAIL',
        lastFailAt: '2030-01-07T11:00:00.000Z',
        lastObservedAt: '2030-01-07T11:00:00.000Z',
        cells: {
          mariadb: {
            verdict: 'FAIL',
            counts: { pass: 0, warn: 0, fail: 1 },
            observedAt: '2030-01-07T11:00:00.000Z',
          },
        },
      },
      {
        subject: 'tenant:default/project-birds',
        kind: 'tenant',
        verdict: 'FAIL',
        lastFailAt: '2030-01-07T10:00:00.000Z',
        lastObservedAt: '2030-01-07T10:00:00.000Z',
        cells: {
          postgres: {
            verdict: 'FAIL',
            counts: { pass: 0, warn: 0, fail: 1 },
            observedAt: '2030-01-07T10:00:00.000Z',
          },
        },
      },
      {
        subject: 'plane:default/minio',
        kind: 'platform',
        verdict: 'PASS',
        lastObservedAt: '2030-01-07T09:00:00.000Z',
        cells: {
          minio: {
            verdict: 'PASS',
            counts: { pass: 0, warn: 0, fail: 0 },
            observedAt: '2030-01-07T09:00:00.000Z',
          },
        },
      },
    ],
    ...overrides,
  };
}

export function fakeDriftApi(
  overrides: Partial<DriftApi> = {},
): jest.Mocked<DriftApi> {
  return {
    getCurrent: jest.fn(async () => makeCurrent()),
    getHistory: jest.fn(async () => makeHistory()),
    getOverview: jest.fn(async () => makeOverview()),
    getRun: jest.fn(async () => ({ run: makeRun(), findings: [] })),
    ...overrides,
  } as jest.Mocked<DriftApi>;
}
