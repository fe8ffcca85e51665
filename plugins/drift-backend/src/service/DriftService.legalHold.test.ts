import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { driftRunSubmissionSchema } from '@internal/plugin-drift-common';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import { Knex } from 'knex';
import { createDriftConfig } from '../config';
import { applyMigrations } from '../database/migrations';
import {
  clearDriftTables,
  testDriftService,
} from '../__testUtils__/driftService';
import { DriftService } from './DriftService';

// Runs on SQLite and PostgreSQL. PostgreSQL comes from
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (there is no Docker here).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const DAY = 24 * 60 * 60 * 1000;
// Monday 2030-01-07 10:00 UTC: daytime, no quiet hours, no maintenance.
const MONDAY_10 = new Date('2030-01-07T10:00:00.000Z');
const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';

const entities = loadRepoCatalog();

const config = createDriftConfig({
  retention: { maxAge: { days: 30 } },
  notifications: {
    enabled: true,
    recipients: ['group:default/platform-operators'],
    tenants: [
      { tenant: 'project-birds', providers: ['postgres'] },
      { tenant: 'project-orchard', providers: ['mariadb'] },
    ],
  },
});

/** A FAIL (or PASS) run of one tenant's (or platform entity's) one provider in samakia-dev. */
function run(subject: string, provider: string, verdict: 'PASS' | 'FAIL') {
  return {
    ...driftRunSubmissionSchema.parse({
      source: 'ci/drift-nightly',
      environment: 'samakia-dev',
      ...(subject.startsWith('component:')
        ? { entity: subject }
        : { tenant: subject }),
      findings: [
        {
          provider,
          resource: `${provider}/max_connections`,
          class: verdict === 'PASS' ? 'in-sync' : 'capacity',
          verdict,
        },
      ],
    }),
    format: 'json' as const,
  };
}

describe.each(databases.eachSupportedId())(
  'drift retention under a legal hold on %p',
  databaseId => {
    let knex: Knex;
    let now: Date;
    let held: string[];
    let service: DriftService;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
    });

    beforeEach(async () => {
      await clearDriftTables(knex);
      now = MONDAY_10;
      held = [];
      service = testDriftService({
        db: knex,
        config,
        entities,
        now: () => now,
        heldTenants: async () => held,
      });
    });

    /** Two old runs and a recent one of a tenant; the old ones are past the 30 days. */
    async function history(tenant: string, provider: string) {
      const ids: string[] = [];
      for (const [days, verdict] of [
        [-40, 'FAIL'],
        [-35, 'PASS'],
        [-1, 'FAIL'],
      ] as const) {
        now = new Date(MONDAY_10.getTime() + days * DAY);
        ids.push(
          (await service.ingest(run(tenant, provider, verdict), 'ci')).run.id,
        );
      }
      now = MONDAY_10;
      return ids;
    }

    const notificationsOf = async (runIds: string[]) =>
      (await knex('drift_notifications').whereIn('run_id', runIds)).length;
    const runsLeft = async (runIds: string[]) =>
      (await knex('drift_runs').whereIn('id', runIds)).length;

    it("keeps a held tenant's old runs and notifications while another tenant's go, until the hold is lifted", async () => {
      const birds = await history('project-birds', 'postgres');
      const orchard = await history('project-orchard', 'mariadb');
      const birdsOld = birds.slice(0, 2);
      const orchardOld = orchard.slice(0, 2);
      expect(await notificationsOf(birdsOld)).toBeGreaterThan(0);
      expect(await notificationsOf(orchardOld)).toBeGreaterThan(0);
      const birdsNotes = await notificationsOf(birdsOld);
      const orchardNotes = await notificationsOf(orchardOld);

      held = [BIRDS];
      expect(await service.cleanup()).toEqual({
        runs: 2,
        notifications: orchardNotes,
      });
      expect(await runsLeft(birds)).toBe(3);
      expect(await notificationsOf(birdsOld)).toBe(birdsNotes);
      expect(await runsLeft(orchard)).toBe(1);
      expect(await notificationsOf(orchardOld)).toBe(0);
      expect(
        await knex('drift_findings').whereIn('run_id', birdsOld),
      ).toHaveLength(2);

      // Hold lifted (the block removed from the catalog): the next run lets them go.
      held = [];
      expect(await service.cleanup()).toEqual({
        runs: 2,
        notifications: birdsNotes,
      });
      expect(await runsLeft(birds)).toBe(1);
      expect(await service.runs.find(birds[2])).toBeDefined();
    });

    it('keeps runs without a tenant subject to retention while tenants are held', async () => {
      const orchard = await history('project-orchard', 'mariadb');
      const platform = await history(
        'component:default/samakia-executor-mariadb',
        'mariadb',
      );
      expect((await service.runs.find(platform[0]))?.tenant).toBeUndefined();
      held = [BIRDS, ORCHARD];
      expect(await service.cleanup()).toMatchObject({ runs: 2 });
      expect(await runsLeft(orchard)).toBe(3);
      expect(await runsLeft(platform)).toBe(1);
    });

    it('deletes nothing when the catalog cannot say which tenants are held', async () => {
      const orchard = await history('project-orchard', 'mariadb');
      service = testDriftService({
        db: knex,
        config,
        entities,
        now: () => now,
        heldTenants: async () => {
          throw new Error('catalog unavailable');
        },
      });
      await expect(service.cleanup()).rejects.toThrow('catalog unavailable');
      expect(await runsLeft(orchard)).toBe(3);
    });
  },
);
