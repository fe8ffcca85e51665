import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  TestDatabaseId,
  TestDatabases,
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  SchedulerService,
  ServiceFactory,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  SigningKeysService,
  signingKeysServiceRef,
} from '@internal/plugin-fabric-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
// The repository catalog also lists the scaffolder templates (kind Template).
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { listBlockedZakonRules } from '@internal/plugin-fabric-common';
import { loadReachableCatalog, repoRoot } from '@internal/fabric-test-utils';
import catalogModuleFabric from './index';

// Runs the real catalog backend with this module on SQLite and PostgreSQL.
// PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// (there is no Docker here), e.g. postgresql://postgres@127.0.0.1:5432/postgres.

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** The catalog rules of the real app-config, so the allow list is tested too. */
const catalogRules = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
).catalog.rules;

/** Entity refs of every document reachable from catalog/all.yaml, Locations included. */
function repoCatalogRefs(): string[] {
  return loadReachableCatalog().map(e => stringifyEntityRef(e));
}

async function startCatalog(databaseId: TestDatabaseId, locationFile: string) {
  const knex = await databases.init(databaseId);
  // The test runs the module's scheduled tasks itself (triggerTask), when it wants them.
  // mockServices.scheduler() is a MockSchedulerService, typed as the plain service.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory<SchedulerService>;
  };
  const backend = await startTestBackend({
    features: [
      scheduler.factory(),
      // The key registry the ZAKON governance check reads; no keys, so no [CEO_APPROVED].
      createServiceFactory({
        service: signingKeysServiceRef,
        deps: {},
        factory: () =>
          ({ activeKeysOf: async () => [] } as unknown as SigningKeysService),
      }),
      catalogBackend,
      catalogModuleFabric,
      catalogModuleUnprocessed,
      catalogModuleScaffolderEntityModel,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: catalogRules,
            locations: [{ type: 'file', target: locationFile }],
            // No periodic reprocessing within a test: whatever converges here converges by the
            // module's own refreshes (tenant owners by refresh key), not by the backstop.
            processingInterval: { hours: 1 },
          },
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}/api/catalog`;

  async function request(
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header(),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  return {
    backend,
    request,
    /** One poll of the tenant owners (the module's local task runs every few seconds). */
    async pollTenantOwners(): Promise<void> {
      await scheduler.triggerTask('fabric-tenant-owners');
    },
    async entities(): Promise<Entity[]> {
      return (await request('GET', '/entities')).body;
    },
    /** Rows of refresh_state without a stored entity: still pending or failed. */
    async unprocessed(): Promise<any> {
      return (await request('GET', '/entities/unprocessed/pending')).body;
    },
  };
}

async function waitUntil(what: string, condition: () => Promise<boolean>) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting until ${what}`);
}

function relationsOf(entities: Entity[], ref: string): string[] {
  const entity = entities.find(e => stringifyEntityRef(e) === ref);
  return (entity?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();
}

function processingErrors(entity: Entity): string[] {
  const items = ((entity as any).status?.items ?? []) as Array<{
    type: string;
    message: string;
  }>;
  return items
    .filter(i => i.type === 'backstage.io/catalog-processing')
    .map(i => i.message);
}

describe.each(databases.eachSupportedId())(
  'catalog with the fabric module on %s',
  databaseId => {
    it('ingests the repository catalog without errors and relates fabric entities', async () => {
      const expectedRefs = repoCatalogRefs();
      const catalog = await startCatalog(
        databaseId,
        path.join(repoRoot, 'catalog/all.yaml'),
      );
      try {
        // Done when every entity is stored, nothing is left unprocessed, and the
        // relations emitted by other entities (hasPart) have been stitched in.
        let entities: Entity[] = [];
        await waitUntil('the repository catalog is processed', async () => {
          entities = await catalog.entities();
          const stored = new Set(entities.map(e => stringifyEntityRef(e)));
          const unprocessed = await catalog.unprocessed();
          return (
            expectedRefs.every(ref => stored.has(ref)) &&
            unprocessed.entities.length === 0 &&
            relationsOf(entities, 'plane:default/dns').filter(r =>
              r.startsWith('hasPart'),
            ).length === 2
          );
        });

        const withErrors = entities
          .filter(e => processingErrors(e).length > 0)
          .map(
            e => `${stringifyEntityRef(e)}: ${processingErrors(e).join(' | ')}`,
          );
        expect(withErrors).toEqual([]);
        expect((await catalog.unprocessed()).entities).toEqual([]);
        const stored = entities.map(e => stringifyEntityRef(e));
        expect(stored).toEqual(expect.arrayContaining(expectedRefs));
        expect(expectedRefs.length).toBeGreaterThan(90);

        // arrayContaining: other catalog data (e.g. runbooks) may relate to planes too.
        expect(relationsOf(entities, 'plane:default/dns')).toEqual(
          expect.arrayContaining([
            'deployedTo resource:default/samakia-dns',
            'hasPart component:default/dns-auth',
            'hasPart component:default/dns-edge',
            'ownedBy group:default/platform-operators',
          ]),
        );
        expect(relationsOf(entities, 'component:default/dns-edge')).toEqual(
          expect.arrayContaining([
            'partOf plane:default/dns',
            'deployedTo resource:default/samakia-dns',
          ]),
        );
        expect(relationsOf(entities, 'plane:default/rtdl')).toEqual(
          expect.arrayContaining([
            'dependsOn plane:default/observability-governance',
            'dependsOn plane:default/run-operate-substrate',
          ]),
        );

        expect(relationsOf(entities, 'tenant:default/project-birds')).toEqual(
          expect.arrayContaining([
            'dependsOn component:default/samakia-executor-postgres',
            'dependsOn component:default/samakia-executor-rabbitmq',
            'deployedTo resource:default/samakia-dev',
            'deployedTo resource:default/samakia-prod',
            'deployedTo resource:default/samakia-staging',
            'ownedBy group:default/team-birds',
          ]),
        );
        // A tenant's relations are published on its own side only: shared entities (its team's
        // group, environments, the services and planes it consumes) do not name it.
        for (const shared of [
          'group:default/team-birds',
          'resource:default/samakia-prod',
          'component:default/samakia-executor-postgres',
        ]) {
          expect(
            relationsOf(entities, shared).filter(r => r.includes('tenant:')),
          ).toEqual([]);
        }
        // The DNS plane runs in its own infra Terraform environment (ENV=samakia-dns).
        expect(relationsOf(entities, 'resource:default/samakia-dns')).toEqual(
          expect.arrayContaining([
            'deploymentOf plane:default/dns',
            'deploymentOf component:default/dns-edge',
          ]),
        );

        // The rule governs the sites it names explicitly (their blueprint files are in its
        // scope); the scope globs themselves match files, which the catalog cannot resolve.
        const ruleRelations = relationsOf(
          entities,
          'zakonrule:default/blueprint-enforcement',
        );
        expect(ruleRelations).toContain(
          'ownedBy group:default/platform-operators',
        );
        expect(ruleRelations).toContain(
          'governs component:default/client-kenyhot-web',
        );
        expect(
          relationsOf(entities, 'component:default/alai-home-web'),
        ).toContain('governedBy zakonrule:default/blueprint-enforcement');
        expect(
          relationsOf(entities, 'group:default/platform-operators'),
        ).toEqual(
          expect.arrayContaining([
            'ownerOf zakonrule:default/blueprint-enforcement',
            'ownerOf plane:default/dns',
          ]),
        );
      } finally {
        await catalog.backend.stop();
      }
    });

    it("keeps an unlabelled entity of a tenant's owner group off shared entities, and follows an owner change", async () => {
      // Written by hand: no tenant label, only the owner says whose it is. The shared component
      // and the owner group are read by every tenant, so their relations must not name it.
      const mockDir = createMockDirectory();
      const group = (name: string) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name },
        spec: { type: 'team', children: [] },
      });
      const tenant = (owner: string) => ({
        apiVersion: 'fabric.samakia.io/v1alpha1',
        kind: 'Tenant',
        metadata: { name: 'project-x' },
        spec: {
          owner,
          environments: ['samakia-dev'],
          consumers: [
            {
              provider: 'rabbitmq',
              variant: 'single',
              enabled: true,
              ready: false,
            },
          ],
          quotas: {
            cpuCores: 1,
            memoryGiB: 1,
            storageGiB: 1,
            maxDatabases: 1,
            maxConnections: 10,
          },
        },
      });
      const notes = (name: string, owner: string) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name },
        spec: {
          type: 'runbook',
          owner,
          dependencyOf: ['component:default/shared-svc'],
        },
      });
      const writeCatalog = (tenantOwner: string) =>
        mockDir.setContent({
          'catalog-info.yaml': [
            group('team-x'),
            group('team-y'),
            group('ops'),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'shared-svc' },
              spec: { type: 'service', lifecycle: 'production', owner: 'ops' },
            },
            tenant(tenantOwner),
            notes('x-notes', 'group:default/team-x'),
            notes('y-notes', 'team-y'),
          ]
            .map(e => JSON.stringify(e))
            .join('\n---\n'),
        });
      writeCatalog('group:default/team-x');
      const catalog = await startCatalog(
        databaseId,
        mockDir.resolve('catalog-info.yaml'),
      );
      const shared = async () => {
        const entities = await catalog.entities();
        return [
          ...relationsOf(entities, 'group:default/team-x'),
          ...relationsOf(entities, 'group:default/team-y'),
          ...relationsOf(entities, 'component:default/shared-svc'),
        ].filter(r => r.includes('-notes'));
      };
      try {
        // Whatever order the first pass took, the catalog converges on the rule.
        await waitUntil('x-notes is off the shared entities', async () => {
          await catalog.pollTenantOwners();
          const entities = await catalog.entities();
          return (
            // the seven entities and their Location
            entities.length === 8 &&
            JSON.stringify(await shared()) ===
              JSON.stringify([
                'ownerOf resource:default/y-notes',
                'dependsOn resource:default/y-notes',
              ])
          );
        });
        const entities = await catalog.entities();
        expect(relationsOf(entities, 'resource:default/x-notes')).toEqual([
          'dependencyOf component:default/shared-svc',
          'ownedBy group:default/team-x',
        ]);

        // team-y takes the tenant over: y-notes becomes the tenant's, x-notes shared again.
        writeCatalog('team-y');
        await catalog.request('POST', '/refresh', {
          entityRef: 'tenant:default/project-x',
        });
        await waitUntil('the entities follow the new owner', async () => {
          await catalog.pollTenantOwners();
          return (
            JSON.stringify(await shared()) ===
            JSON.stringify([
              'ownerOf resource:default/x-notes',
              'dependsOn resource:default/x-notes',
            ])
          );
        });
      } finally {
        await catalog.backend.stop();
      }
    });

    it('keeps unapproved ZAKON rules out of the catalog and lists them as blocked', async () => {
      const mockDir = createMockDirectory();
      const activeRule = (
        name: string,
        extra: Record<string, unknown> = {},
      ) => ({
        apiVersion: 'fabric.samakia.io/v1alpha1',
        kind: 'ZakonRule',
        metadata: { name },
        spec: {
          id: name,
          owner: 'group:default/platform-operators',
          ruleFile: `rules/zakon-${name}.md`,
          trackingTask: 'MC-100500',
          approvalToken: '[CEO_APPROVED]',
          approvalDate: '2026-05-13',
          status: 'active',
          publishedSha256: 'a'.repeat(64),
          inScope: [`rules/zakon-${name}.md`],
          governs: ['component:default/minio'],
          enforcement: ['registry-gate'],
          ...extra,
        },
      });
      const fixedEntities = [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'platform-operators' },
          spec: { type: 'team', children: [] },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'minio' },
          spec: {
            type: 'library',
            lifecycle: 'production',
            owner: 'group:default/platform-operators',
          },
        },
      ];
      const writeCatalog = (rules: object[]) =>
        mockDir.setContent({
          'catalog-info.yaml': [...fixedEntities, ...rules]
            .map(e => JSON.stringify(e))
            .join('\n---\n'),
        });
      writeCatalog([
        activeRule('cost-ceiling'),
        activeRule('unsigned-rule', { approvalToken: undefined }),
      ]);

      const catalog = await startCatalog(
        databaseId,
        mockDir.resolve('catalog-info.yaml'),
      );
      try {
        let entities: Entity[] = [];
        let unprocessed: any;
        await waitUntil('both rules are processed', async () => {
          entities = await catalog.entities();
          unprocessed = await catalog.unprocessed();
          // Stitching is per entity: the rule itself may land after the relation it
          // emitted shows up on minio, so wait for both.
          return (
            entities.some(
              e => stringifyEntityRef(e) === 'zakonrule:default/cost-ceiling',
            ) &&
            relationsOf(entities, 'component:default/minio').includes(
              'governedBy zakonrule:default/cost-ceiling',
            ) &&
            unprocessed.entities.some((row: any) => row.errors?.length > 0)
          );
        });

        // The unsigned rule is not in the catalog at all ...
        const refs = entities.map(e => stringifyEntityRef(e));
        expect(refs).toContain('zakonrule:default/cost-ceiling');
        expect(refs).not.toContain('zakonrule:default/unsigned-rule');
        expect(
          (
            await catalog.request(
              'GET',
              '/entities/by-name/zakonrule/default/unsigned-rule',
            )
          ).status,
        ).toBe(404);

        // ... but its processing error, naming the rule and the fix, is listed.
        const expectedMessage =
          'ZakonRule zakonrule:default/unsigned-rule is blocked by the ZAKON approval gate (fail closed) and is not ingested until fixed:\n' +
          "- spec.approvalToken: status active needs the approval token [CEO_APPROVED] (it is missing); get the CEO approval on the rule's tracking task and record the token exactly as [CEO_APPROVED]";
        const [row] = unprocessed.entities;
        expect(unprocessed.entities).toHaveLength(1);
        expect(row.unprocessed_entity.metadata.name).toBe('unsigned-rule');
        expect(row.errors).toEqual([
          expect.objectContaining({
            name: 'InputError',
            message: expect.stringContaining(expectedMessage),
          }),
        ]);
        const blocked = listBlockedZakonRules({ unprocessed, rules: entities });
        expect(blocked).toEqual([
          expect.objectContaining({
            ref: 'zakonrule:default/unsigned-rule',
            name: 'unsigned-rule',
            messages: [expectedMessage],
            state: 'not-ingested',
            location: `file:${mockDir.resolve('catalog-info.yaml')}`,
            observedAt: expect.any(String),
          }),
        ]);

        // The approved rule governs the entity it names, in both directions.
        expect(relationsOf(entities, 'zakonrule:default/cost-ceiling')).toEqual(
          [
            'governs component:default/minio',
            'ownedBy group:default/platform-operators',
          ],
        );

        // When an ingested rule loses its approval, the catalog keeps serving
        // the last approved version but flags it with the processing error.
        writeCatalog([
          activeRule('cost-ceiling', { publishedSha256: undefined }),
          activeRule('unsigned-rule', { approvalToken: undefined }),
        ]);
        await catalog.request('POST', '/refresh', {
          entityRef: 'zakonrule:default/cost-ceiling',
        });
        let rules: Entity[] = [];
        await waitUntil('the revoked rule is flagged', async () => {
          rules = (
            await catalog.request('GET', '/entities?filter=kind=ZakonRule')
          ).body;
          return rules.some(r => processingErrors(r).length > 0);
        });
        expect(
          listBlockedZakonRules({
            unprocessed: await catalog.unprocessed(),
            rules,
          }),
        ).toEqual([
          expect.objectContaining({
            ref: 'zakonrule:default/cost-ceiling',
            state: 'last-approved-version-served',
            messages: [
              expect.stringContaining(
                '- spec.publishedSha256: status active needs the sha256 of the published rule file (it is missing)',
              ),
            ],
          }),
          expect.objectContaining({
            ref: 'zakonrule:default/unsigned-rule',
            state: 'not-ingested',
          }),
        ]);
      } finally {
        await catalog.backend.stop();
      }
    });
  },
);
