import {
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { tenantMemberCatalogReadCriteria } from '@internal/plugin-fabric-common';
import express from 'express';
import request from 'supertest';
import { plane, rule, service, tenant } from './__testUtils__';
import { applyMigrations } from './database/migrations';
import { createRouter } from './router';
import { projectEntity } from './service/projection';
import { QueryService } from './service/QueryService';
import { ReadModel } from './service/ReadModel';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const TENANTS = [
  {
    tenantRef: 'tenant:default/project-birds',
    ownerRef: 'group:default/team-birds',
  },
  {
    tenantRef: 'tenant:default/project-orchard',
    ownerRef: 'group:default/team-orchard',
  },
];

/** The policy's answers: bea is a birds tenant member (the tenancy rule), ops reads all, ci is refused. */
const permissions = {
  async authorizeConditional(_requests: unknown, { credentials }: any) {
    const who =
      credentials.principal.userEntityRef ?? credentials.principal.subject;
    if (who === 'user:default/bea.birds') {
      return [
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: tenantMemberCatalogReadCriteria(
            [who, 'group:default/team-birds'],
            TENANTS,
          ),
        },
      ];
    }
    if (who === 'external:no-scope') return [{ result: AuthorizeResult.DENY }];
    return [{ result: AuthorizeResult.ALLOW }];
  },
} as unknown as PermissionsService;

async function setUp() {
  const db = await databases.init('SQLITE_3');
  await applyMigrations(db);
  const readModel = new ReadModel(db);
  await readModel.apply(
    [
      plane('minio', 140),
      plane('dns', 100),
      service('minio', 'minio', [['minio-1', 'proxmox2']]),
      service('postgresql', 'data-services', [['pg-1', 'proxmox3']]),
      tenant('project-birds', 'group:default/team-birds', ['postgres']),
      tenant('project-orchard', 'group:default/team-orchard', [
        'postgres',
        'minio',
      ]),
      rule('site-rule', ['alai-home-web']),
      rule('old-rule', ['alai-home-web'], 'retired'),
    ].map(projectEntity),
    [],
  );
  const app = express();
  app.use(
    await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth({
        pluginId: 'fabric-query',
        defaultCredentials: mockCredentials.user(
          'user:default/olivia.operator',
        ),
      }),
      queries: new QueryService({ entities: readModel.entities, permissions }),
    }),
  );
  // The root HTTP router's error middleware, after every plugin's router.
  app.use(mockErrorHandler());
  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
  });
  return { app, as };
}

const refs = (body: any) => body.items.map((i: any) => i.ref);

describe('domain query router', () => {
  it('answers the questions of CI', async () => {
    const { app } = await setUp();
    const vlan = await request(app).get('/planes?vlan=140');
    expect(vlan.status).toBe(200);
    expect(vlan.body.items).toEqual([
      {
        ref: 'plane:default/minio',
        kind: 'plane',
        namespace: 'default',
        name: 'minio',
        title: 'minio plane',
        type: 'network',
      },
    ]);
    expect(
      refs((await request(app).get('/tenants?consumes=postgres')).body),
    ).toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-orchard',
    ]);
    expect(
      refs(
        (
          await request(app).get(
            '/tenants?consumes=Component:default/PostgreSQL',
          )
        ).body,
      ),
    ).toHaveLength(2);
    expect(
      refs(
        (await request(app).get('/rules?governs=alai-home-web&status=active'))
          .body,
      ),
    ).toEqual(['zakonrule:default/site-rule']);
    expect(
      refs((await request(app).get('/services?host=proxmox2')).body),
    ).toEqual(['component:default/minio']);
    expect(
      refs((await request(app).get('/services?name=postgresql')).body),
    ).toEqual(['component:default/postgresql']);
    expect(
      refs(
        (
          await request(app).get(
            '/services?plane=plane:default/minio&environment=samakia-prod&haTier=TIER-1',
          )
        ).body,
      ),
    ).toEqual(['component:default/minio']);
  });

  it('pages with a cursor', async () => {
    const { app } = await setUp();
    const first = await request(app).get('/planes?limit=1');
    expect(refs(first.body)).toEqual(['plane:default/dns']);
    const second = await request(app).get(
      `/planes?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(refs(second.body)).toEqual(['plane:default/minio']);
  });

  it("hides another tenant's entities from a tenant member, as the catalog does", async () => {
    const { app, as } = await setUp();
    const bea = await request(app)
      .get('/tenants?consumes=postgres')
      .set(as('user:default/bea.birds'));
    expect(refs(bea.body)).toEqual(['tenant:default/project-birds']);
    // Shared entities stay visible to her.
    const planes = await request(app)
      .get('/planes?vlan=140')
      .set(as('user:default/bea.birds'));
    expect(refs(planes.body)).toEqual(['plane:default/minio']);
  });

  it('refuses a token without catalog.entity.read with 403 and an anonymous caller with 401', async () => {
    const { app } = await setUp();
    const denied = await request(app)
      .get('/planes?vlan=140')
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:no-scope'),
          targetPluginId: 'fabric-query',
        }),
      );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('catalog.entity.read');
    const anonymous = await request(app)
      .get('/planes?vlan=140')
      .set('Authorization', 'Bearer nope');
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['/planes?vlan=5000', 'vlan'],
    ['/planes?vlan=abc', 'vlan'],
    ['/planes?vlan=140&vlan=141', 'vlan'],
    ['/planes?colour=red', 'colour'],
    ['/services?limit=0', 'limit'],
    ['/services?limit=501', 'limit'],
    ['/tenants?consumes=', 'consumes'],
    [`/rules?governs=${'x'.repeat(300)}`, 'governs'],
  ])('answers %s with a 400 naming %s', async (path, field) => {
    const { app } = await setUp();
    const res = await request(app).get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });
});
