import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FABRIC_ANNOTATION_TARGET_HOSTING,
  HOSTING_PLATFORMS,
  MIGRATION_STATUSES,
  canonicalFabricRef,
  fabricWebsiteComponentSchema,
  tenantSpecSchema,
  websiteFabricSpecSchema,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import {
  FRAMEWORK_BUILDS,
  siteFrameworkSchema,
  siteNameSchema,
} from '../domain/site';
import { UserCatalog } from '../lib/catalog';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import { LocalRepositories } from '../lib/localRepos';
import { checkRepoName } from '../lib/repoChecks';
import { toYaml, writeWorkspaceFile } from '../lib/workspace';

const fabric = websiteFabricSpecSchema.shape;
/** The domain's owner field (a group or user ref), as every Fabric kind uses it. */
const ownerRefField = tenantSpecSchema.shape.owner;

const inputSchema = z.strictObject({
  name: siteNameSchema.describe(
    'Repository and Pages project name: alai-<product>-web or client-<slug>-web',
  ),
  title: blankAsUndefined(z.string().trim().min(1).max(100)),
  description: blankAsUndefined(z.string().trim().min(1).max(1000)),
  owner: ownerRefField.describe('Owning group, e.g. group:default/web-team'),
  lifecycle: z
    .enum(['experimental', 'production', 'deprecated'])
    .default('experimental'),
  // A new site always has a domain (only catalogued dynamic services may lack one).
  domain: fabric.domain.unwrap(),
  framework: siteFrameworkSchema,
  hostingPlatform: z.enum(HOSTING_PLATFORMS).default('cloudflare-pages'),
  dnsProvider: fabric.dnsProvider.default('cloudflare'),
  migrationStatus: z.enum(MIGRATION_STATUSES).default('not-applicable'),
});

const outputSchema = z.object({
  entityRef: z.string(),
  repoName: z.string(),
  framework: siteFrameworkSchema,
  frameworkLabel: z.string(),
  hasBuild: z.boolean(),
  buildCommand: z.string().describe('Empty for plain HTML'),
  outputDir: z.string(),
  deployPath: z.string().describe('What the deploy step uploads, e.g. ./out'),
});

export function createSiteRenderAction(deps: {
  catalog: CatalogService;
  localRepos?: LocalRepositories;
}) {
  return createFabricAction({
    id: 'fabric:site:render',
    description:
      'Renders the catalog entity of a new static site (a Component of type website with its spec.fabric block) after checking the name against the naming convention (alai-<product>-web or client-<slug>-web) and the catalog (the name must be free, the owner must exist). Outputs what the framework decides: build command, output folder and deploy path, for the skeleton (deploy workflow, hosting config, dependency updates).',
    examples: [
      {
        description: 'An Astro site for an ALAI product',
        example: toYaml({
          steps: [
            {
              id: 'render',
              action: 'fabric:site:render',
              input: {
                name: 'alai-shop-web',
                owner: 'group:default/web-team',
                domain: 'shop.alai.no',
                framework: 'astro',
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const build = FRAMEWORK_BUILDS[input.framework];
      const entity = parseOrThrow(
        fabricWebsiteComponentSchema,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: input.name,
            title: input.title ?? input.domain,
            ...(input.description ? { description: input.description } : {}),
            tags: ['static-site', input.hostingPlatform, input.framework],
            annotations: {
              [FABRIC_ANNOTATION_TARGET_HOSTING]: input.hostingPlatform,
            },
          },
          spec: {
            type: 'website',
            lifecycle: input.lifecycle,
            owner: input.owner,
            fabric: {
              domain: input.domain,
              hostingPlatform: input.hostingPlatform,
              dnsProvider: input.dnsProvider,
              framework: input.framework,
              migrationStatus: input.migrationStatus,
            },
          },
        },
        `The site ${input.name}`,
      );

      const catalog = await UserCatalog.ofTask(deps.catalog, ctx);
      const entityRef = `component:default/${input.name}`;
      if (await catalog.exists(entityRef)) {
        throw new ConflictError(
          `${entityRef} already exists in the catalog; choose another site name`,
        );
      }
      const owner = canonicalFabricRef(input.owner, 'Group', {
        metadata: { namespace: 'default' },
      });
      if (!(await catalog.exists(owner))) {
        throw new InputError(
          `owner: ${input.owner} is not in the catalog; pick the group that will own the site`,
        );
      }
      await checkRepoName(input.name, deps.localRepos);
      // A site owned by a tenant's team is that tenant's: labelled so.
      const labels = await catalog.tenantLabels(entity as Entity);
      if (Object.keys(labels).length) {
        (entity as Entity).metadata.labels = labels;
      }

      await writeWorkspaceFile(
        ctx.workspacePath,
        'catalog-info.yaml',
        toYaml(entity, `Static site ${input.name} (${build.label}).`),
      );
      output({
        entityRef,
        repoName: input.name,
        framework: input.framework,
        frameworkLabel: build.label,
        hasBuild: build.buildCommand !== undefined,
        buildCommand: build.buildCommand ?? '',
        outputDir: build.outputDir,
        deployPath: build.outputDir === '.' ? './' : `./${build.outputDir}`,
      });
    },
  });
}
