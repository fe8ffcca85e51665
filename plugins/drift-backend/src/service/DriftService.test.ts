import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DriftRunSubmissionInput,
  driftRunSubmissionSchema,
} from '@internal/plugin-drift-common';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import { Knex } from 'knex';
import { createDriftConfig } from '../config';
import { applyMigrations } from '../database/migrations';
import { OutboxEntry } from '../database/NotificationStore';
import type { TenantScope } from '@internal/plugin-fabric-node';
import {
  clearDriftTables,
  testDriftService,
} from '../__testUtils__/driftService';
import { DriftService } from './DriftService';

// Runs on SQLite and PostgreSQL. PostgreSQL comes from
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (there is no Docker here).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Monday 2030-01-07 10:00 UTC: daytime, no quiet hours, no maintenance.
const MONDAY_10 = new Date('2030-01-07T10:00:00.000Z');

const runbook = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'runbook', owner: 'group:default/platform-operators' },
});

const entities = [
  ...loadRepoCatalog(),
  runbook('drift-review', 'Drift signal review'),
  runbook('backup-and-restore', 'Backup and restore of data services'),
  // Orchard's own gateway, written by hand without the tenant label: orchard's by its owner.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orchard-gateway', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-orchard',
    },
  },
  // A shared cache that otto (team-orchard) looks after personally: shared, but otto is orchard's.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shared-cache', namespace: 'default', title: 'Cache' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'user:default/otto.orchard',
    },
  },
];

const config = createDriftConfig({
  retention: { maxAge: { days: 30 } },
  runbooks: {
    default: 'drift-review',
    byResourceType: { postgres_setting: 'backup-and-restore' },
    // Configured, but not in the catalog: no link.
    byProvider: { rabbitmq: 'rabbitmq-recovery' },
  },
  notifications: {
    enabled: true,
    warnAfterRuns: 2,
    recipients: ['group:default/platform-operators'],
    tenants: [
      { tenant: 'project-birds', providers: ['postgres', 'rabbitmq'] },
      {
        tenant: 'tenant:default/project-orchard',
        providers: ['mariadb', 'qdrant', 'minio', 'postgres'],
      },
    ],
    quietHours: [
      {
        start: '22:00',
        end: '07:00',
        timeZone: 'UTC',
        environments: ['samakia-prod'],
      },
    ],
    maintenanceWindows: [
      {
        name: 'sunday-patching',
        cron: '0 2 * * 0',
        duration: { hours: 3 },
        timeZone: 'UTC',
        environments: ['samakia-prod'],
      },
    ],
  },
});

/** A run as the router hands it to the service: validated, with the format it came in. */
function submission(
  input: DriftRunSubmissionInput,
  format: 'json' | 'terraform' = 'json',
) {
  return { ...driftRunSubmissionSchema.parse(input), format };
}

function birdsRun(
  overrides: Partial<DriftRunSubmissionInput> = {},
  verdict: 'PASS' | 'WARN' | 'FAIL' = 'FAIL',
) {
  return submission({
    source: 'ci/drift-nightly',
    environment: 'samakia-prod',
    tenant: 'project-birds',
    findings: [
      {
        provider: 'postgres',
        resource: 'birds-prod/max_connections',
        resourceType: 'postgres_setting',
        class: verdict === 'PASS' ? 'in-sync' : 'capacity',
        verdict,
        declared: 200,
        observed: verdict === 'PASS' ? 200 : 500,
        message: verdict === 'PASS' ? undefined : 'raised by hand',
      },
      {
        provider: 'rabbitmq',
        resource: 'birds-dev/vhost',
        verdict: 'PASS',
      },
    ],
    ...overrides,
  });
}

describe.each(databases.eachSupportedId())('DriftService on %p', databaseId => {
  let knex: Knex;
  let now: Date;
  let delivered: OutboxEntry[];
  let service: DriftService;

  beforeAll(async () => {
    knex = await databases.init(databaseId as TestDatabaseId);
    await applyMigrations(knex);
  });

  beforeEach(async () => {
    await clearDriftTables(knex);
    now = MONDAY_10;
    delivered = [];
    service = testDriftService({
      db: knex,
      config,
      entities,
      now: () => now,
      deliver: entry => delivered.push(entry),
    });
  });

  const at = (ms: number) => new Date(MONDAY_10.getTime() + ms).toISOString();
  const all = { all: true } as const;

  it('stores a run and answers the current state with runbooks and provider verdicts', async () => {
    const receipt = await service.ingest(birdsRun(), 'external:fabric-ci');
    expect(receipt.run).toMatchObject({
      tenant: 'tenant:default/project-birds',
      entity: 'tenant:default/project-birds',
      verdict: 'FAIL',
      counts: { pass: 1, warn: 0, fail: 1 },
      providers: ['postgres', 'rabbitmq'],
      observedAt: MONDAY_10.toISOString(),
      submittedBy: 'external:fabric-ci',
    });

    const current = await service.current(
      { tenant: 'tenant:default/project-birds' },
      all,
    );
    expect(current).toMatchObject({
      audience: 'platform',
      verdict: 'FAIL',
      providers: [
        { provider: 'postgres', verdict: 'FAIL' },
        { provider: 'rabbitmq', verdict: 'PASS' },
      ],
      runbook: {
        ref: 'resource:default/drift-review',
        title: 'Drift signal review',
      },
    });
    expect(current.findings).toEqual([
      expect.objectContaining({
        provider: 'postgres',
        verdict: 'FAIL',
        declared: 200,
        observed: 500,
        environment: 'samakia-prod',
        source: 'ci/drift-nightly',
        runbook: {
          ref: 'resource:default/backup-and-restore',
          title: 'Backup and restore of data services',
        },
      }),
      expect.objectContaining({ provider: 'rabbitmq', verdict: 'PASS' }),
    ]);
    expect(current.findings[1].runbook).toBeUndefined();
  });

  it('keeps history; the newest run of each scope is current, a late run is history only', async () => {
    await service.ingest(birdsRun({ observedAt: at(-2 * HOUR) }, 'PASS'), 'ci');
    await service.ingest(birdsRun({ observedAt: at(-1 * HOUR) }), 'ci');
    // Posted last, observed earliest: it does not replace the FAIL.
    await service.ingest(birdsRun({ observedAt: at(-3 * HOUR) }, 'PASS'), 'ci');
    // Another environment and another entity of the same tenant are scopes of their own.
    await service.ingest(
      birdsRun({ environment: 'samakia-dev' }, 'PASS'),
      'ci',
    );
    await service.ingest(
      birdsRun({ entity: 'component:default/postgresql' }, 'PASS'),
      'ci',
    );

    const history = await service.history(
      {
        tenant: 'tenant:default/project-birds',
        environment: 'samakia-prod',
        entity: 'tenant:default/project-birds',
        limit: 500,
      },
      all,
    );
    expect(history.items.map(r => [r.observedAt, r.verdict])).toEqual([
      [at(-3 * HOUR), 'PASS'],
      [at(-2 * HOUR), 'PASS'],
      [at(-1 * HOUR), 'FAIL'],
    ]);
    const limited = await service.history(
      { tenant: 'tenant:default/project-birds', limit: 2 },
      all,
    );
    // The newest two: the dev run and the service run, both observed now.
    expect(limited.items.map(r => [r.environment, r.entity]).sort()).toEqual([
      ['samakia-dev', 'tenant:default/project-birds'],
      ['samakia-prod', 'component:default/postgresql'],
    ]);
    expect(limited.items.map(r => r.observedAt)).toEqual([at(0), at(0)]);
    expect(
      (
        await service.history(
          {
            tenant: 'tenant:default/project-birds',
            since: at(-90 * MINUTE),
            limit: 500,
          },
          all,
        )
      ).items,
    ).toHaveLength(3);

    const current = await service.current(
      { tenant: 'tenant:default/project-birds' },
      all,
    );
    expect(
      current.runs.map(r => [r.entity, r.environment, r.verdict]).sort(),
    ).toEqual([
      ['component:default/postgresql', 'samakia-prod', 'PASS'],
      ['tenant:default/project-birds', 'samakia-dev', 'PASS'],
      ['tenant:default/project-birds', 'samakia-prod', 'FAIL'],
    ]);
    const service_ = await service.current(
      { entity: 'component:default/postgresql' },
      all,
    );
    expect(service_.runs).toHaveLength(1);
    expect(service_.verdict).toBe('PASS');
  });

  it('isolates tenants: a tenant scope sees only its tenants, never platform runs', async () => {
    await service.ingest(birdsRun(), 'ci');
    await service.ingest(
      submission({
        source: 'ci/drift-nightly',
        environment: 'samakia-prod',
        tenant: 'project-orchard',
        findings: [
          {
            provider: 'mariadb',
            resource: 'orchard/db',
            class: 'version',
            verdict: 'WARN',
          },
        ],
      }),
      'ci',
    );
    await service.ingest(
      submission(
        {
          source: 'terraform',
          environment: 'samakia-prod',
          entity: 'plane:minio',
          findings: [
            {
              provider: 'minio',
              resource: 'minio_s3_bucket.tfstate',
              class: 'missing',
              verdict: 'FAIL',
            },
          ],
        },
        'terraform',
      ),
      'ci',
    );
    const birds: TenantScope = {
      all: false,
      tenants: ['tenant:default/project-birds'],
    };

    const current = await service.current({}, birds);
    expect(current.audience).toBe('tenant');
    expect(new Set(current.runs.map(r => r.tenant))).toEqual(
      new Set(['tenant:default/project-birds']),
    );
    expect(
      (
        await service.current(
          { tenant: 'tenant:default/project-orchard' },
          birds,
        )
      ).runs,
    ).toEqual([]);
    expect(
      (await service.current({ entity: 'plane:default/minio' }, birds)).runs,
    ).toEqual([]);
    expect(
      (await service.history({ limit: 500 }, birds)).items.map(r => r.tenant),
    ).toEqual(['tenant:default/project-birds']);
    expect((await service.overview(birds)).rows.map(r => r.subject)).toEqual([
      'tenant:default/project-birds',
    ]);
    expect(
      (await service.current({}, { all: false, tenants: [] })).runs,
    ).toEqual([]);
  });

  it('lays out the overview as subjects x providers, FAIL rows first, newest FAIL first', async () => {
    await service.ingest(birdsRun({ observedAt: at(-3 * HOUR) }), 'ci');
    await service.ingest(
      submission({
        source: 'ci/drift-nightly',
        environment: 'samakia-prod',
        tenant: 'project-orchard',
        observedAt: at(-2 * HOUR),
        providers: ['mariadb', 'dragonfly'],
        findings: [
          {
            provider: 'mariadb',
            resource: 'orchard/db',
            class: 'missing',
            verdict: 'FAIL',
          },
        ],
      }),
      'ci',
    );
    await service.ingest(
      submission(
        {
          source: 'terraform',
          environment: 'samakia-prod',
          entity: 'plane:minio',
          observedAt: at(-1 * HOUR),
          providers: ['minio', 'proxmox'],
          findings: [],
        },
        'terraform',
      ),
      'ci',
    );
    await service.ingest(
      submission({
        source: 'ci/drift-nightly',
        environment: 'samakia-dev',
        tenant: 'project-harbor',
        observedAt: at(-4 * HOUR),
        findings: [
          {
            provider: 'qdrant',
            resource: 'harbor/collection',
            class: 'modified',
            verdict: 'WARN',
          },
        ],
      }),
      'ci',
    );

    const overview = await service.overview(all);
    expect(overview.providers).toEqual([
      'dragonfly',
      'mariadb',
      'minio',
      'postgres',
      'proxmox',
      'qdrant',
      'rabbitmq',
    ]);
    expect(
      overview.rows.map(r => [r.subject, r.kind, r.verdict, r.lastFailAt]),
    ).toEqual([
      ['tenant:default/project-orchard', 'tenant', 'FAIL', at(-2 * HOUR)],
      ['tenant:default/project-birds', 'tenant', 'FAIL', at(-3 * HOUR)],
      ['tenant:default/project-harbor', 'tenant', 'WARN', undefined],
      ['plane:default/minio', 'platform', 'PASS', undefined],
    ]);
    expect(overview.rows[0].cells).toEqual({
      mariadb: {
        verdict: 'FAIL',
        counts: { pass: 0, warn: 0, fail: 1 },
        observedAt: at(-2 * HOUR),
      },
      dragonfly: {
        verdict: 'PASS',
        counts: { pass: 0, warn: 0, fail: 0 },
        observedAt: at(-2 * HOUR),
      },
    });
    expect(Object.keys(overview.rows[3].cells).sort()).toEqual([
      'minio',
      'proxmox',
    ]);
  });

  it('notifies the tenant owners and the operators of a new FAIL, once', async () => {
    const first = await service.ingest(birdsRun(), 'ci');
    expect(first.signals).toEqual([
      {
        kind: 'new-fail',
        provider: 'postgres',
        resource: 'birds-prod/max_connections',
        status: 'queued',
        dueAt: MONDAY_10.toISOString(),
        reason: undefined,
      },
    ]);
    expect(
      delivered.map(d => [d.audience, d.recipients, d.payload.severity]),
    ).toEqual([
      ['tenant', ['group:default/team-birds'], 'high'],
      ['platform', ['group:default/platform-operators'], 'high'],
    ]);
    expect(delivered[0].payload).toMatchObject({
      title:
        'Project Birds: 1 resource differs from your contract in samakia-prod',
      link: '/catalog/default/tenant/project-birds/drift',
      topic: 'drift',
    });
    expect(delivered[0].payload.description).toContain(
      'your postgres birds-prod/max_connections has different capacity or limits than your contract (FAIL)',
    );
    expect(delivered[0].payload.description).toContain(
      'nothing is changed automatically',
    );
    expect(delivered[1].payload.title).toBe(
      'Drift FAIL on Project Birds (samakia-prod)',
    );

    now = new Date(MONDAY_10.getTime() + HOUR);
    const again = await service.ingest(birdsRun(), 'ci');
    expect(again.signals).toEqual([]);
    expect(delivered).toHaveLength(2);
    expect(
      (await service.outbox.listForRun(first.run.id)).map(e => e.status),
    ).toEqual(['sent', 'sent']);
  });

  it("tells no team of another tenant: orchard's entity cannot be paired with birds, and orchard's people do not hear about birds", async () => {
    // An attacker's (or a careless CI job's) run: orchard's unlabelled gateway, filed under birds.
    await expect(
      service.ingest(
        birdsRun({ entity: 'component:default/orchard-gateway' }),
        'ci',
      ),
    ).rejects.toThrow(
      'entity: component:default/orchard-gateway belongs to tenant:default/project-orchard, not to tenant:default/project-birds',
    );
    expect(delivered).toEqual([]);

    // A shared cache owned by otto (of team-orchard) paired with birds: the platform message
    // names Project Birds, so it goes to the operators and not to otto.
    await service.ingest(
      birdsRun({ entity: 'component:default/shared-cache' }),
      'ci',
    );
    expect(delivered.map(d => [d.audience, d.recipients])).toEqual([
      ['tenant', ['group:default/team-birds']],
      ['platform', ['group:default/platform-operators']],
    ]);
    expect(delivered[1].payload.title).toBe(
      'Drift FAIL on Cache of Project Birds (samakia-prod)',
    );

    // Without a tenant, orchard's gateway is orchard's: its drift goes to orchard's team too.
    delivered = [];
    await service.ingest(
      birdsRun({
        tenant: undefined,
        environment: 'samakia-dev',
        entity: 'component:default/orchard-gateway',
      }),
      'ci',
    );
    expect(delivered.map(d => [d.audience, d.recipients])).toEqual([
      ['tenant', ['group:default/team-orchard']],
      ['platform', ['group:default/platform-operators']],
    ]);
  });

  function serviceWith(tenants: object[]) {
    return testDriftService({
      db: knex,
      config: createDriftConfig({
        notifications: {
          enabled: true,
          recipients: ['group:default/platform-operators'],
          tenants,
        },
      }),
      entities,
      now: () => now,
      deliver: entry => delivered.push(entry),
    });
  }

  it('tells nobody about a tenant that is not on the allowlist', async () => {
    const routedElsewhere = serviceWith([
      { tenant: 'project-orchard', providers: ['postgres'] },
    ]);
    const receipt = await routedElsewhere.ingest(birdsRun(), 'ci');
    // The drift is recorded and shown; only the alert is not routed.
    expect(receipt.run.verdict).toBe('FAIL');
    expect(delivered).toEqual([]);
    expect(await routedElsewhere.outbox.listForRun(receipt.run.id)).toEqual([]);
  });

  it('signals a listed tenant only for its listed providers', async () => {
    const rabbitOnly = serviceWith([
      { tenant: 'project-birds', providers: ['rabbitmq'] },
    ]);
    await rabbitOnly.ingest(birdsRun(), 'ci');
    // The FAIL is on postgres, which birds' route does not list.
    expect(delivered).toEqual([]);
    const postgres = serviceWith([
      { tenant: 'project-birds', providers: ['postgres'] },
    ]);
    now = new Date(MONDAY_10.getTime() + HOUR);
    await knex('drift_resource_state').delete();
    await postgres.ingest(birdsRun(), 'ci');
    expect(delivered.map(d => d.audience)).toEqual(['tenant', 'platform']);
  });

  it('signals a WARN only after it persisted for the configured number of runs', async () => {
    const warn = birdsRun({}, 'WARN');
    warn.findings[0].class = 'capacity';
    expect((await service.ingest(warn, 'ci')).signals).toEqual([]);
    now = new Date(MONDAY_10.getTime() + HOUR);
    expect((await service.ingest(warn, 'ci')).signals.map(s => s.kind)).toEqual(
      ['persisting-warn'],
    );
    expect(delivered.map(d => d.payload.severity)).toEqual([
      'normal',
      'normal',
    ]);
    expect(delivered[1].payload.title).toBe(
      'Drift WARN on Project Birds (samakia-prod)',
    );
    now = new Date(MONDAY_10.getTime() + 2 * HOUR);
    expect((await service.ingest(warn, 'ci')).signals).toEqual([]);
  });

  it('holds notifications raised in quiet hours until they end', async () => {
    // 23:00 UTC: inside the 22:00-07:00 quiet hours of samakia-prod.
    now = new Date('2030-01-07T23:00:00.000Z');
    const receipt = await service.ingest(birdsRun(), 'ci');
    expect(receipt.signals).toEqual([
      expect.objectContaining({
        kind: 'new-fail',
        status: 'queued',
        dueAt: '2030-01-08T07:00:00.000Z',
        reason: 'held for quiet hours until 2030-01-08T07:00:00.000Z',
      }),
    ]);
    expect(delivered).toEqual([]);
    now = new Date('2030-01-08T06:59:00.000Z');
    expect(await service.flushDue()).toBe(0);
    now = new Date('2030-01-08T07:00:00.000Z');
    expect(await service.flushDue()).toBe(2);
    expect(delivered.map(d => d.audience)).toEqual(['tenant', 'platform']);

    // samakia-dev has no quiet hours.
    delivered = [];
    now = new Date('2030-01-08T23:00:00.000Z');
    const dev = await service.ingest(
      birdsRun({ environment: 'samakia-dev' }),
      'ci',
    );
    expect(dev.signals[0].dueAt).toBe('2030-01-08T23:00:00.000Z');
    expect(delivered).toHaveLength(2);
  });

  it('suppresses signals inside a maintenance window and signals a FAIL that outlasts it', async () => {
    // Sunday 2030-01-13 02:30 UTC: inside sunday-patching (02:00-05:00).
    now = new Date('2030-01-13T02:30:00.000Z');
    const during = await service.ingest(birdsRun(), 'ci');
    expect(during.signals).toEqual([
      expect.objectContaining({
        kind: 'new-fail',
        status: 'suppressed',
        reason: 'inside the maintenance window sunday-patching',
      }),
    ]);
    expect(
      (await service.outbox.listForRun(during.run.id)).map(e => e.status),
    ).toEqual(['suppressed', 'suppressed']);
    now = new Date('2030-01-13T07:30:00.000Z');
    expect(await service.flushDue()).toBe(0);
    expect(delivered).toEqual([]);

    // Still failing after the window (and after quiet hours): now the owners hear about it.
    now = new Date('2030-01-13T08:00:00.000Z');
    const after = await service.ingest(birdsRun(), 'ci');
    expect(after.signals).toEqual([
      expect.objectContaining({ kind: 'new-fail', status: 'queued' }),
    ]);
    expect(delivered).toHaveLength(2);
  });

  it('keeps runs for the configured retention, and always the newest run of each scope', async () => {
    /** A run posted when it was observed. */
    const postedAt = async (
      ms: number,
      overrides: Partial<DriftRunSubmissionInput>,
      verdict: 'PASS' | 'FAIL',
    ) => {
      now = new Date(MONDAY_10.getTime() + ms);
      return service.ingest(birdsRun(overrides, verdict), 'ci');
    };
    const old = await postedAt(-40 * DAY, {}, 'FAIL');
    const stillOld = await postedAt(-35 * DAY, {}, 'PASS');
    // The only run of its scope: kept however old.
    const lonely = await postedAt(
      -60 * DAY,
      { environment: 'samakia-dev' },
      'FAIL',
    );
    const recent = await postedAt(-1 * DAY, {}, 'FAIL');
    now = MONDAY_10;
    // Runs older than 30 days but the newest of their scope stay; so do notifications of the last 30 days.
    expect(await service.cleanup()).toEqual({ runs: 2, notifications: 4 });
    expect(await service.runs.find(old.run.id)).toBeUndefined();
    expect(await service.runs.find(stillOld.run.id)).toBeUndefined();
    expect(await service.runs.find(lonely.run.id)).toBeDefined();
    expect(await service.runs.find(recent.run.id)).toBeDefined();
    expect(
      await knex('drift_findings').whereIn('run_id', [
        old.run.id,
        stillOld.run.id,
      ]),
    ).toEqual([]);
  });

  it('refuses runs about unknown tenants, foreign environments or the future, and redacts secrets', async () => {
    await expect(
      service.ingest(birdsRun({ tenant: 'project-bords' }), 'ci'),
    ).rejects.toThrow(
      new InputError(
        'tenant: tenant:default/project-bords is not in the catalog; fix the reference or register the entity first',
      ),
    );
    await expect(
      service.ingest(
        birdsRun({ tenant: 'project-harbor', environment: 'samakia-prod' }),
        'ci',
      ),
    ).rejects.toThrow(
      "environment: samakia-prod is not one of tenant:default/project-harbor's environments (samakia-dev, samakia-staging); fix the environment or the tenant",
    );
    await expect(
      service.ingest(birdsRun({ observedAt: at(HOUR) }), 'ci'),
    ).rejects.toThrow(/is in the future/);
    expect(await knex('drift_runs')).toEqual([]);

    const receipt = await service.ingest(
      birdsRun({
        findings: [
          {
            provider: 'postgres',
            resource: 'birds-prod/role',
            class: 'modified',
            verdict: 'WARN',
            declared: { user: 'birds', password: 'hunter2' },
            observed: { user: 'birds', password: 'changed', api_key: 'k' },
          },
        ],
      }),
      'ci',
    );
    const detail = await service.runDetail(
      await service.runs.get(receipt.run.id),
    );
    expect(detail.findings[0]).toMatchObject({
      declared: { user: 'birds', password: '(sensitive)' },
      observed: {
        user: 'birds',
        password: '(sensitive)',
        api_key: '(sensitive)',
      },
    });
  });
});
