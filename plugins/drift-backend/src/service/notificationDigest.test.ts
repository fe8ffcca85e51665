import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { driftRunSubmissionSchema } from '@internal/plugin-drift-common';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import { Knex } from 'knex';
import { createDriftConfig } from '../config';
import { applyMigrations } from '../database/migrations';
import { OutboxEntry } from '../database/NotificationStore';
import {
  clearDriftTables,
  testDriftService,
} from '../__testUtils__/driftService';
import { DriftService } from './DriftService';

// Runs on SQLite and PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const entities = loadRepoCatalog();

const config = createDriftConfig({
  notifications: {
    enabled: true,
    recipients: ['group:default/platform-operators'],
    tenants: [
      { tenant: 'project-birds', providers: ['postgres'] },
      { tenant: 'project-orchard', providers: ['postgres'] },
    ],
    quietHours: [{ start: '22:00', end: '07:00', timeZone: 'UTC' }],
  },
});

/** A FAIL on one postgres setting of a tenant, from its own source: each is a new signal. */
const failRun = (tenant: string, resource: string) => ({
  ...driftRunSubmissionSchema.parse({
    source: `ci/drift-bulk/${resource}`,
    environment: 'samakia-prod',
    tenant,
    findings: [
      {
        provider: 'postgres',
        resource,
        resourceType: 'postgres_setting',
        class: 'capacity',
        verdict: 'FAIL',
        declared: 200,
        observed: 500,
      },
    ],
  }),
  format: 'json' as const,
});

describe.each(databases.eachSupportedId())(
  'drift notification digests on %p',
  databaseId => {
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
      delivered = [];
      service = testDriftService({
        db: knex,
        config,
        entities,
        now: () => now,
        deliver: entry => delivered.push(entry),
      });
    });

    const BIRDS_TENANT = '2030-01-08|tenant|tenant:default/project-birds';

    it('sends one digest per tenant, audience and day for a bulk of runs, linked to the tenant', async () => {
      // A nightly bulk: five runs for birds, one for orchard, all held by quiet hours.
      now = new Date('2030-01-07T23:00:00.000Z');
      for (let i = 1; i <= 5; i += 1) {
        await service.ingest(
          failRun('project-birds', `birds-prod/setting_${i}`),
          'ci',
        );
      }
      await service.ingest(
        failRun('project-orchard', 'orchard-prod/max_connections'),
        'ci',
      );
      expect(delivered).toEqual([]);

      now = new Date('2030-01-08T07:00:00.000Z');
      // Four digests (birds and orchard, tenant and platform), not twelve messages.
      expect(await service.flushDue()).toBe(4);
      expect(delivered.map(d => [d.audience, d.payload.scope]).sort()).toEqual(
        [
          [
            'platform',
            `drift:digest:2030-01-08|platform|tenant:default/project-birds`,
          ],
          [
            'platform',
            `drift:digest:2030-01-08|platform|tenant:default/project-orchard`,
          ],
          ['tenant', `drift:digest:${BIRDS_TENANT}`],
          [
            'tenant',
            `drift:digest:2030-01-08|tenant|tenant:default/project-orchard`,
          ],
        ].sort(),
      );
      const birds = delivered.find(
        d => d.payload.scope === `drift:digest:${BIRDS_TENANT}`,
      )!;
      expect(birds.recipients).toEqual(['group:default/team-birds']);
      expect(birds.payload).toMatchObject({
        title: expect.stringMatching(
          /^5 drift reports on 2030-01-08 \(latest: /,
        ),
        link: '/catalog/default/tenant/project-birds/drift',
        severity: 'high',
        topic: 'drift',
      });
      expect(birds.payload.description).toContain('23:00 UTC');
      // Every platform digest links to its subject too.
      for (const d of delivered) {
        expect(d.payload.link).toMatch(
          /^\/catalog\/default\/tenant\/project-(birds|orchard)\/drift$/,
        );
      }
      // Every entry went out, none is left to send again.
      expect(
        (await knex('drift_notifications').select('status')).map(r => r.status),
      ).toEqual(Array(12).fill('sent'));
      expect(await service.flushDue()).toBe(0);
    });

    it('updates the same notification for later runs of the day and starts a new one the next day', async () => {
      now = new Date('2030-01-08T09:00:00.000Z');
      await service.ingest(failRun('project-birds', 'birds-prod/a'), 'ci');
      // The day's only run keeps its own wording, under the digest's scope.
      expect(delivered[0].payload).toMatchObject({
        title:
          'Project Birds: 1 resource differs from your contract in samakia-prod',
        scope: `drift:digest:${BIRDS_TENANT}`,
      });

      now = new Date('2030-01-08T15:00:00.000Z');
      await service.ingest(failRun('project-birds', 'birds-prod/b'), 'ci');
      const later = delivered.filter(d => d.audience === 'tenant')[1];
      // Same scope: the portal updates the one notification instead of adding another.
      expect(later.payload.scope).toBe(`drift:digest:${BIRDS_TENANT}`);
      expect(later.payload.title).toMatch(
        /^2 drift reports on 2030-01-08 \(latest: /,
      );
      expect(later.payload.description).toMatch(/^15:00 UTC .*; 09:00 UTC /);

      now = new Date('2030-01-09T09:00:00.000Z');
      await service.ingest(failRun('project-birds', 'birds-prod/c'), 'ci');
      const nextDay = delivered.filter(d => d.audience === 'tenant')[2];
      expect(nextDay.payload.scope).toBe(
        'drift:digest:2030-01-09|tenant|tenant:default/project-birds',
      );
      expect(nextDay.payload.title).toBe(
        'Project Birds: 1 resource differs from your contract in samakia-prod',
      );
    });
  },
);
