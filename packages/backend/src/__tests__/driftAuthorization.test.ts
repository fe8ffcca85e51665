import fs from 'node:fs';
import path from 'node:path';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import driftBackend from '@internal/plugin-drift-backend';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import {
  Who,
  errorBody,
  headerOf,
  recordingNotifications,
  startMatrixBackend,
} from '../__testUtils__/authorizationMatrix';
import { repoRoot } from './support/bootBackend';

/**
 * Tenant isolation of the drift API: every role against every endpoint, with
 * the real permission backend, the Fabric policy module and the drift plugin
 * on one test backend, on SQLite and on PostgreSQL. Users and groups come from
 * the repository's catalog; only the identity layer is mocked (see
 * src/__testUtils__/oboMockAuth.ts). The CI token's restrictions are covered
 * against the real composition in driftCi.test.ts.
 */
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const runbook = parseAllDocuments(
  fs.readFileSync(
    path.join(repoRoot, 'techdocs/drift-review/catalog-info.yaml'),
    'utf8',
  ),
)[0].toJS();
const entities = [
  ...loadRepoCatalog(),
  { ...runbook, metadata: { namespace: 'default', ...runbook.metadata } },
];

const birdsDetail = expect.objectContaining({
  findings: [expect.objectContaining({ verdict: 'FAIL', observed: 500 })],
});

const birdsRun = {
  source: 'ci/drift-nightly',
  environment: 'samakia-dev',
  tenant: 'project-birds',
  findings: [
    {
      provider: 'postgres',
      resource: 'birds-dev/max_connections',
      class: 'capacity',
      verdict: 'FAIL',
      declared: 200,
      observed: 500,
      message: 'raised by hand',
    },
  ],
};

/** A Terraform plan of the MinIO plane with one bucket deleted outside Terraform. */
const minioPlan = {
  format_version: '1.2',
  terraform_version: '1.9.8',
  resource_drift: [
    {
      address: 'minio_s3_bucket.tfstate',
      mode: 'managed',
      type: 'minio_s3_bucket',
      name: 'tfstate',
      provider_name: 'registry.terraform.io/aminueza/minio',
      change: {
        actions: ['delete'],
        before: { bucket: 'samakia-tfstate', id: 'samakia-tfstate' },
        after: null,
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: false,
      },
    },
  ],
  applyable: true,
  complete: true,
  errored: false,
};

describe.each(databases.eachSupportedId())(
  'drift API authorization matrix on %p',
  databaseId => {
    let server: Parameters<typeof request>[0];
    const sent: NotificationSendOptions[] = [];
    let birdsRunId: string;
    let platformRunId: string;

    beforeAll(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      server = await startMatrixBackend({
        plugin: driftBackend,
        tenantPermissions: ['drift.report.read'],
        entities,
        features: [
          mockServices.database.factory({ knex }),
          recordingNotifications(sent),
        ],
        config: {
          app: { baseUrl: 'http://localhost:3000' },
          drift: {
            runbooks: { default: 'drift-review' },
            // Notifications are off by default and go only to listed tenants and providers.
            notifications: {
              enabled: true,
              recipients: ['group:default/platform-operators'],
              tenants: [
                {
                  tenant: 'tenant:default/project-birds',
                  providers: ['postgres'],
                },
              ],
            },
          },
        },
      });

      const birds = await request(server)
        .post('/api/drift/runs')
        .set(headerOf.service)
        .send(birdsRun);
      if (birds.status !== 201) throw new Error(JSON.stringify(birds.body));
      birdsRunId = birds.body.run.id;
      const platform = await request(server)
        .post('/api/drift/runs/terraform')
        .query({ environment: 'samakia-prod', entity: 'plane:minio' })
        .set(headerOf.service)
        .send(minioPlan);
      if (platform.status !== 201) {
        throw new Error(JSON.stringify(platform.body));
      }
      platformRunId = platform.body.run.id;
    });

    const api = (p: string) => `/api/drift${p}`;

    it.each<[Who, number]>([
      ['admin', 201],
      ['operator', 201],
      ['birds', 403],
      ['orchard', 403],
      ['service', 201],
      ['anonymous', 401],
    ])('POST /runs and /runs/terraform as %s -> %i', async (who, status) => {
      const json = await request(server)
        .post(api('/runs'))
        .set(headerOf[who])
        .send(birdsRun);
      expect(json.status).toBe(status);
      const terraform = await request(server)
        .post(api('/runs/terraform'))
        .set(headerOf[who])
        .set('X-Drift-Environment', 'samakia-prod')
        .set('X-Drift-Entity', 'plane:minio')
        .send(minioPlan);
      expect(terraform.status).toBe(status);
    });

    it.each<[Who, number, number]>([
      ['admin', 200, 200],
      ['operator', 200, 200],
      ['birds', 200, 404],
      ['orchard', 404, 404],
      ['service', 200, 200],
      ['anonymous', 401, 401],
    ])(
      'GET /runs/:id of a birds run and a plane run as %s -> %i, %i',
      async (who, birdsStatus, platformStatus) => {
        const birds = await request(server)
          .get(api(`/runs/${birdsRunId}`))
          .set(headerOf[who]);
        expect(birds.status).toBe(birdsStatus);
        expect(birds.body).toEqual(
          birdsStatus === 200 ? birdsDetail : errorBody,
        );
        const platform = await request(server)
          .get(api(`/runs/${platformRunId}`))
          .set(headerOf[who]);
        expect(platform.status).toBe(platformStatus);
      },
    );

    it.each<[Who, number, string[]]>([
      ['admin', 200, ['FAIL']],
      ['operator', 200, ['FAIL']],
      ['birds', 200, ['FAIL']],
      ['orchard', 200, []],
      ['service', 200, ['FAIL']],
      ['anonymous', 401, []],
    ])(
      "GET /current and /history of birds' tenant as %s -> %i",
      async (who, status, verdicts) => {
        const current = await request(server)
          .get(api('/current'))
          .query({ tenant: 'project-birds' })
          .set(headerOf[who]);
        expect(current.status).toBe(status);
        const history = await request(server)
          .get(api('/history'))
          .query({ tenant: 'project-birds' })
          .set(headerOf[who]);
        expect(history.status).toBe(status);
        const verdictsOf = (items?: Array<{ verdict: string }>) =>
          items ? [...new Set(items.map(r => r.verdict))] : 'refused';
        const expected = status === 200 ? verdicts : 'refused';
        expect(verdictsOf(current.body.runs)).toEqual(expected);
        expect(verdictsOf(history.body.items)).toEqual(expected);
      },
    );

    it('shows tenants their own rows of the overview, phrased for tenants', async () => {
      const operator = await request(server)
        .get(api('/overview'))
        .set(headerOf.operator);
      expect(operator.body.audience).toBe('platform');
      // Both FAIL; the plane's FAIL was posted last, so it comes first.
      expect(
        operator.body.rows.map((r: { subject: string }) => r.subject),
      ).toEqual(['plane:default/minio', 'tenant:default/project-birds']);

      const birds = await request(server)
        .get(api('/overview'))
        .set(headerOf.birds);
      expect(birds.body).toMatchObject({
        audience: 'tenant',
        providers: ['postgres'],
        rows: [{ subject: 'tenant:default/project-birds', verdict: 'FAIL' }],
      });
      const orchard = await request(server)
        .get(api('/overview'))
        .set(headerOf.orchard);
      expect(orchard.body).toEqual({
        audience: 'tenant',
        providers: [],
        rows: [],
      });
      // Platform drift is hidden from tenants even when asked for by name.
      const plane = await request(server)
        .get(api('/current'))
        .query({ entity: 'plane:minio' })
        .set(headerOf.birds);
      expect(plane.body.runs).toEqual([]);
    });

    it('refuses a bad run whole, naming the field and the fix', async () => {
      const res = await request(server)
        .post(api('/runs'))
        .set(headerOf.service)
        .send({
          ...birdsRun,
          findings: [{ ...birdsRun.findings[0], verdict: 'RED' }],
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'The drift run is invalid:\n- findings[0].verdict: "RED" is not allowed; use one of: PASS, WARN, FAIL',
      );
      const unknown = await request(server)
        .post(api('/runs'))
        .set(headerOf.service)
        .send({ ...birdsRun, tenant: 'project-nobody' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain(
        'tenant:default/project-nobody is not in the catalog',
      );
      const state = await request(server)
        .post(
          api('/runs/terraform?environment=samakia-prod&entity=plane:minio'),
        )
        .set(headerOf.service)
        .send({ format_version: '1.0', values: { root_module: {} } });
      expect(state.status).toBe(400);
      expect(state.body.error.message).toContain(
        'This is a Terraform state, not a plan',
      );
      const noTarget = await request(server)
        .post(api('/runs/terraform'))
        .set(headerOf.service)
        .send(minioPlan);
      expect(noTarget.status).toBe(400);
      expect(noTarget.body.error.message).toContain(
        '- environment: is missing',
      );
    });

    it('told the tenant owners and the operators about the new FAIL, in their own words', () => {
      const birds = sent.filter(
        n =>
          n.recipients.type === 'entity' &&
          n.payload.link === '/catalog/default/tenant/project-birds/drift',
      );
      expect(
        birds.map(n => [
          (n.recipients as { entityRef: string[] }).entityRef,
          n.payload.title,
        ]),
      ).toEqual([
        [
          ['group:default/team-birds'],
          'Project Birds: 1 resource differs from your contract in samakia-dev',
        ],
        [
          ['group:default/platform-operators'],
          'Drift FAIL on Project Birds (samakia-dev)',
        ],
      ]);
    });
  },
);
