import { ConflictError } from '@backstage/errors';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import {
  DOCUMENT_TEMPLATES,
  documentTemplateIdSchema,
} from '../domain/documents';
import { UserCatalog } from '../lib/catalog';
import { blankAsUndefined, createFabricAction } from '../lib/fabricAction';
import { LocalRepositories, repoNameSchema } from '../lib/localRepos';
import { checkRepoName } from '../lib/repoChecks';
import {
  isoDate,
  taskUser,
  toYaml,
  writeWorkspaceFile,
} from '../lib/workspace';

const inputSchema = z.strictObject({
  entity: z
    .string()
    .min(1)
    .describe('The entity the documents are about, e.g. plane:default/minio'),
  documents: z
    .array(documentTemplateIdSchema)
    .min(1, { error: 'pick at least one document' })
    .refine(list => new Set(list).size === list.length, {
      error: 'a document is listed twice; list each once',
    }),
  name: blankAsUndefined(
    repoNameSchema.describe(
      'Id of the docs site and its catalog Resource; <entity>-docs when blank',
    ),
  ),
  title: blankAsUndefined(z.string().trim().min(1).max(100)),
});

const factsSchema = z.object({
  entityRef: z.string(),
  entityKind: z.string(),
  entityName: z.string(),
  entityTitle: z.string(),
  entityType: z.string(),
  entityDescription: z.string(),
  owner: z.string(),
  system: z.string(),
  author: z.string(),
  date: z.string(),
});

const outputSchema = z.object({
  entityRef: z.string().describe('The runbook Resource to register'),
  repoName: z.string(),
  facts: factsSchema.describe('Values for the document templates'),
  documents: z.array(
    z.object({ id: z.string(), title: z.string(), file: z.string() }),
  ),
});

/** Bare name for the default namespace, so documents read naturally. */
function shortRef(ref: string): string {
  return ref.replace(/^[a-z]+:default\//i, '');
}

export function createDocsRenderAction(deps: {
  catalog: CatalogService;
  localRepos?: LocalRepositories;
}) {
  return createFabricAction({
    id: 'fabric:docs:render',
    description:
      "Renders a TechDocs-ready documentation site (mkdocs.yml, docs/index.md and a runbook Resource whose dependencyOf is the chosen entity, so the entity page lists it) for an entity read from the catalog as the signed-in user. The chosen design documents (deployment architecture, environment configuration, IaC, monitoring, DR plan, CI/CD) come from the template's document folders, filled with the facts this action outputs.",
    input: inputSchema,
    output: outputSchema,
    examples: [
      {
        description: 'A DR plan and a monitoring document for the MinIO plane',
        example: toYaml({
          steps: [
            {
              id: 'render',
              action: 'fabric:docs:render',
              input: {
                entity: 'plane:default/minio',
                documents: ['dr-plan', 'monitoring'],
              },
            },
          ],
        }),
      },
    ],
    async handler(ctx, input, output) {
      const catalog = await UserCatalog.ofTask(deps.catalog, ctx);
      const entity = await catalog.require(
        input.entity,
        `${input.entity} is not in the catalog (or not visible to you); pick an existing entity`,
      );
      const entityRef = stringifyEntityRef(entity);
      const name = input.name ?? `${entity.metadata.name}-docs`.slice(0, 63);
      const valid = repoNameSchema.safeParse(name);
      if (!valid.success) {
        throw new ConflictError(
          `The docs id ${name} derived from ${entityRef} is not usable; give a name (lower-case letters, digits and '-')`,
        );
      }
      const resourceRef = `resource:default/${name}`;
      if (await catalog.exists(resourceRef)) {
        throw new ConflictError(
          `${resourceRef} already exists in the catalog; give the docs another name`,
        );
      }
      await checkRepoName(name, deps.localRepos);

      const spec = (entity.spec ?? {}) as Record<string, unknown>;
      const user = taskUser(ctx);
      const entityTitle = entity.metadata.title ?? entity.metadata.name;
      const owner =
        typeof spec.owner === 'string' ? spec.owner : user.ref ?? 'unknown';
      const facts = {
        entityRef,
        entityKind: entity.kind,
        entityName: entity.metadata.name,
        entityTitle,
        entityType: typeof spec.type === 'string' ? spec.type : '',
        entityDescription: entity.metadata.description ?? '',
        owner: shortRef(owner),
        system: typeof spec.system === 'string' ? spec.system : '',
        author: user.name,
        date: isoDate(),
      };
      const chosen = DOCUMENT_TEMPLATES.filter(d =>
        input.documents.includes(d.id),
      );
      const documents = chosen.map(d => ({ ...d, file: `${d.id}.md` }));
      const title = input.title ?? `${entityTitle}: design documents`;

      const resource: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          title,
          description: `${chosen
            .map(d => d.title)
            .join(', ')} for ${entityTitle}.`,
          tags: ['runbook', 'design-document'],
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        },
        spec: {
          type: 'runbook',
          owner,
          dependencyOf: [entityRef],
        },
      };
      // Documents about a tenant (or owned by its team) are that tenant's: labelled so.
      const labels = await catalog.tenantLabels(resource, [entity]);
      if (Object.keys(labels).length) resource.metadata.labels = labels;
      await writeWorkspaceFile(
        ctx.workspacePath,
        'catalog-info.yaml',
        toYaml(
          resource,
          'Catalog entity for these documents; dependencyOf lists what they describe.',
        ),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'mkdocs.yml',
        toYaml({
          site_name: title,
          site_description: `Design documents for ${entityRef}`,
          nav: [
            { Overview: 'index.md' },
            ...documents.map(d => ({ [d.title]: d.file })),
          ],
          markdown_extensions: [
            'admonition',
            'pymdownx.superfences',
            { toc: { permalink: true } },
          ],
          // No Google Fonts: the documents render on a network without internet access.
          theme: { name: 'material', font: false },
          plugins: ['search'],
        }),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'docs/index.md',
        [
          `# ${title}`,
          '',
          `Documents for **${entityTitle}** (\`${entityRef}\`), owned by ${facts.owner}.`,
          facts.entityDescription ? `\n${facts.entityDescription}\n` : '',
          '| Document | Status |',
          '| --- | --- |',
          ...documents.map(d => `| [${d.title}](${d.file}) | Draft |`),
          '',
          `Started by ${facts.author} on ${facts.date}. Each document is a draft: replace every`,
          'placeholder marked _TBD_ and remove guidance notes that no longer help.',
          '',
        ].join('\n'),
      );
      output({ entityRef: resourceRef, repoName: name, facts, documents });
    },
  });
}
