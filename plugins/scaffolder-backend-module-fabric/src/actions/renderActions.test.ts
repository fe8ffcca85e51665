import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { LocalRepositories } from '../lib/localRepos';
import {
  actionContext,
  approvalRulesOf,
  catalogEntities,
  outputsOf,
  readWorkspace,
} from '../__testUtils__/fixtures';
import { createDocsRenderAction } from './docsRender';
import { createSiteRenderAction } from './siteRender';
import { createTenantRenderAction } from './tenantRender';
import { createZakonRenderAction } from './zakonRender';

const catalog = catalogServiceMock({ entities: catalogEntities });
const rules = approvalRulesOf({
  'samakia-prod': { production: true, requiredApprovals: 2 },
  'samakia-staging': { requiredApprovals: 1 },
  'samakia-dev': { requiredApprovals: 1 },
});

describe('render actions', () => {
  const mockDir = createMockDirectory();
  const ws = () => mockDir.resolve('workspace');
  const ctxFor = (input: Record<string, unknown>) =>
    actionContext(input, { workspacePath: ws() });

  beforeEach(() => mockDir.clear());

  describe('fabric:site:render', () => {
    const action = createSiteRenderAction({ catalog });

    it('renders the website entity and the framework build', async () => {
      const ctx = ctxFor({
        name: 'client-acme-web',
        owner: 'group:default/web-team',
        domain: 'acme.example.no',
        framework: 'next',
        title: '',
      });
      await action.handler(ctx as any);
      expect(outputsOf(ctx)).toEqual({
        entityRef: 'component:default/client-acme-web',
        repoName: 'client-acme-web',
        framework: 'next',
        frameworkLabel: 'Next.js (static export)',
        hasBuild: true,
        buildCommand: 'next build',
        outputDir: 'out',
        deployPath: './out',
      });
      const entity = parse(readWorkspace(ws(), 'catalog-info.yaml'));
      expect(entity.metadata.title).toBe('acme.example.no');
      expect(entity.spec.fabric).toEqual({
        domain: 'acme.example.no',
        hostingPlatform: 'cloudflare-pages',
        dnsProvider: 'cloudflare',
        framework: 'next',
        migrationStatus: 'not-applicable',
      });
    });

    it.each([
      ['shop-web', 'does not follow the site naming convention'],
      ['alai-shop', 'does not follow the site naming convention'],
      ['client--web', 'does not follow the site naming convention'],
    ])('refuses the name %s', async (name, message) => {
      await expect(
        action.handler(
          ctxFor({
            name,
            owner: 'web-team',
            domain: 'a.example.no',
            framework: 'html',
          }) as any,
        ),
      ).rejects.toThrow(message);
    });

    it("labels a site owned by a tenant's team with that tenant, and a shared one not", async () => {
      await action.handler(
        ctxFor({
          name: 'client-birds-web',
          owner: 'group:default/team-birds',
          domain: 'birds.example.no',
          framework: 'html',
        }) as any,
      );
      expect(
        parse(readWorkspace(ws(), 'catalog-info.yaml')).metadata.labels,
      ).toEqual({ 'fabric.samakia.io/tenant': 'project-birds' });
      mockDir.clear();
      await action.handler(
        ctxFor({
          name: 'client-shared-web',
          owner: 'group:default/web-team',
          domain: 'shared.example.no',
          framework: 'html',
        }) as any,
      );
      expect(
        parse(readWorkspace(ws(), 'catalog-info.yaml')).metadata.labels,
      ).toBeUndefined();
    });

    it('refuses a bad domain, an unknown framework and an existing site', async () => {
      await expect(
        action.handler(
          ctxFor({
            name: 'alai-x-web',
            owner: 'web-team',
            domain: 'https://x.no',
            framework: 'html',
          }) as any,
        ),
      ).rejects.toThrow(/domain: "https:\/\/x\.no" is not a domain name/);
      await expect(
        action.handler(
          ctxFor({
            name: 'alai-x-web',
            owner: 'web-team',
            domain: 'x.no',
            framework: 'hugo',
          }) as any,
        ),
      ).rejects.toThrow(
        /framework: "hugo" is not allowed; use one of: html, next, astro/,
      );
      await expect(
        action.handler(
          ctxFor({
            name: 'alai-home-web',
            owner: 'web-team',
            domain: 'alai.no',
            framework: 'html',
          }) as any,
        ),
      ).rejects.toThrow(
        'component:default/alai-home-web already exists in the catalog',
      );
    });

    it('refuses a name whose local repository exists', async () => {
      mockDir.setContent({ 'repos/alai-new-web/x': 'x' });
      const withRepos = createSiteRenderAction({
        catalog,
        localRepos: await LocalRepositories.create(mockDir.resolve('repos')),
      });
      await expect(
        withRepos.handler(
          ctxFor({
            name: 'alai-new-web',
            owner: 'web-team',
            domain: 'new.alai.no',
            framework: 'html',
          }) as any,
        ),
      ).rejects.toThrow('A local repository named alai-new-web already exists');
    });
  });

  describe('fabric:tenant:render', () => {
    const action = createTenantRenderAction({ catalog, rules });
    const valid = {
      name: 'project-wren',
      owner: 'group:default/team-birds',
      environments: [
        'resource:default/samakia-dev',
        'resource:default/samakia-prod',
      ],
      consumers: [{ provider: 'postgres', variant: 'cluster', enabled: true }],
      quotas: {
        cpuCores: 2,
        memoryGiB: 8,
        storageGiB: 50,
        maxDatabases: 1,
        maxConnections: 50,
      },
      bindings: [],
      drTestCases: [],
    };

    it('renders the contract and picks the strictest environment for approval', async () => {
      const ctx = ctxFor(valid);
      await action.handler(ctx as any);
      const out = outputsOf(ctx);
      expect(out.approvalEnvironment).toBe('resource:default/samakia-prod');
      expect(out.repoName).toBe('tenant-project-wren');
      expect(out.change).toEqual({
        name: 'project-wren',
        spec: {
          owner: 'group:default/team-birds',
          environments: valid.environments,
          consumers: valid.consumers,
          quotas: valid.quotas,
        },
      });
      expect(parse(readWorkspace(ws(), 'capacity.yml')).quotas).toEqual(
        valid.quotas,
      );
      expect(readWorkspace(ws(), 'catalog-info.yaml')).toContain(
        'do not register this file',
      );
      expect(
        parse(readWorkspace(ws(), 'catalog-info.yaml')).metadata.labels,
      ).toEqual({ 'fabric.samakia.io/tenant': 'project-wren' });
    });

    it('refuses an existing tenant, an unknown owner and a negative quota', async () => {
      await expect(
        action.handler(ctxFor({ ...valid, name: 'project-birds' }) as any),
      ).rejects.toThrow('Tenant project-birds already exists');
      await expect(
        action.handler(
          ctxFor({ ...valid, owner: 'group:default/team-nobody' }) as any,
        ),
      ).rejects.toThrow(
        /owner: group:default\/team-nobody is not a group in the catalog/,
      );
      await expect(
        action.handler(
          ctxFor({
            ...valid,
            quotas: { ...valid.quotas, storageGiB: -5 },
          }) as any,
        ),
      ).rejects.toThrow(/quotas\.storageGiB: -5 is negative/);
      await expect(
        action.handler(ctxFor({ ...valid, name: 'Project_Wren' }) as any),
      ).rejects.toThrow(/name: must be a lower-case name/);
    });
  });

  describe('fabric:zakon:render', () => {
    const action = createZakonRenderAction({ catalog, rules });
    const valid = {
      id: 'cost-ceiling',
      owner: 'group:default/platform-operators',
      trackingTask: 'MC-100500',
      inScope: ['**/COST-PLAN.md'],
      governs: ['component:default/alai-home-web'],
      enforcement: ['registry-gate'],
    };

    it('renders an approved-pending-author entry without approval fields', async () => {
      const ctx = ctxFor(valid);
      await action.handler(ctx as any);
      const out = outputsOf(ctx);
      expect(out).toMatchObject({
        entityRef: 'zakonrule:default/cost-ceiling',
        proposalTenant: 'tenant:default/platform',
        approvalEnvironment: 'samakia-prod',
      });
      expect(out.change.spec).toEqual({
        id: 'cost-ceiling',
        owner: 'group:default/platform-operators',
        ruleFile: 'rules/zakon-cost-ceiling.md',
        trackingTask: 'MC-100500',
        status: 'approved-pending-author',
        inScope: ['**/COST-PLAN.md'],
        governs: ['component:default/alai-home-web'],
        enforcement: ['registry-gate'],
      });
      expect(
        JSON.parse(readWorkspace(ws(), 'zakon-registry-entry.json'))
          .ceo_approved_token,
      ).toBeNull();
    });

    it('refuses a bad tracking task, an existing rule and an unknown governed entity', async () => {
      await expect(
        action.handler(ctxFor({ ...valid, trackingTask: '100500' }) as any),
      ).rejects.toThrow(/trackingTask: "100500" is not a tracking task key/);
      await expect(
        action.handler(
          ctxFor({ ...valid, id: 'blueprint-enforcement' }) as any,
        ),
      ).rejects.toThrow('ZAKON rule blueprint-enforcement already exists');
      await expect(
        action.handler(
          ctxFor({ ...valid, governs: ['component:default/ghost'] }) as any,
        ),
      ).rejects.toThrow(
        'governs: component:default/ghost is not in the catalog',
      );
      await expect(
        action.handler(ctxFor({ ...valid, enforcement: [] }) as any),
      ).rejects.toThrow(/enforcement: needs at least 1 entry/);
    });
  });

  describe('fabric:docs:render', () => {
    const action = createDocsRenderAction({ catalog });

    it('renders the docs site and the runbook resource for the entity', async () => {
      const ctx = ctxFor({
        entity: 'plane:default/minio',
        documents: ['dr-plan'],
      });
      await action.handler(ctx as any);
      const out = outputsOf(ctx);
      expect(out.entityRef).toBe('resource:default/minio-docs');
      expect(out.facts).toMatchObject({
        entityRef: 'plane:default/minio',
        entityKind: 'Plane',
        owner: 'platform-operators',
      });
      expect(parse(readWorkspace(ws(), 'mkdocs.yml')).nav).toEqual([
        { Overview: 'index.md' },
        { 'Disaster recovery plan': 'dr-plan.md' },
      ]);
      expect(
        parse(readWorkspace(ws(), 'catalog-info.yaml')).spec.dependencyOf,
      ).toEqual(['plane:default/minio']);
    });

    it("labels documents about a tenant with the tenant (and keeps the tenant's owner)", async () => {
      const ctx = ctxFor({
        entity: 'tenant:default/project-orchard',
        documents: ['deployment-architecture'],
      });
      await action.handler(ctx as any);
      const resource = parse(readWorkspace(ws(), 'catalog-info.yaml'));
      expect(resource.metadata.name).toBe('project-orchard-docs');
      expect(resource.spec.owner).toBe('group:default/team-orchard');
      expect(resource.metadata.labels).toEqual({
        'fabric.samakia.io/tenant': 'project-orchard',
      });
    });

    it('leaves documents about a shared plane without a tenant label', async () => {
      await action.handler(
        ctxFor({ entity: 'plane:default/dns', documents: ['dr-plan'] }) as any,
      );
      const resource = parse(readWorkspace(ws(), 'catalog-info.yaml'));
      expect(resource.metadata.labels).toBeUndefined();
    });

    it('refuses an unknown entity, an unknown document and an empty choice', async () => {
      await expect(
        action.handler(
          ctxFor({
            entity: 'plane:default/ghost',
            documents: ['dr-plan'],
          }) as any,
        ),
      ).rejects.toThrow('plane:default/ghost is not in the catalog');
      await expect(
        action.handler(
          ctxFor({
            entity: 'plane:default/minio',
            documents: ['novel'],
          }) as any,
        ),
      ).rejects.toThrow(/documents\[0\]: "novel" is not allowed/);
      await expect(
        action.handler(
          ctxFor({ entity: 'plane:default/minio', documents: [] }) as any,
        ),
      ).rejects.toThrow(/documents: pick at least one document/);
    });
  });
});
