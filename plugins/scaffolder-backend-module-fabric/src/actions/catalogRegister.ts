import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import YAML from 'yaml';
import fs from 'node:fs';
import { z } from 'zod';
import { blankAsUndefined, createFabricAction } from '../lib/fabricAction';
import { LocalRepositories, repoNameSchema } from '../lib/localRepos';
import { notConfigured } from './publishLocal';
import { toYaml } from '../lib/workspace';

const inputSchema = z.strictObject({
  repoName: repoNameSchema.describe(
    'A repository made by fabric:publish:local',
  ),
  catalogInfoPath: blankAsUndefined(
    z
      .string()
      .describe(
        'Entity file inside the repository; catalog-info.yaml when blank',
      ),
  ),
  removeRepoOnFailure: z
    .boolean()
    .default(true)
    .describe(
      'When registration fails, also delete the repository if this same task created it',
    ),
});

const outputSchema = z.object({
  entityRef: z.string().describe('The main entity registered'),
  entityRefs: z.array(z.string()),
  locationId: z.string().optional(),
});

function describeFailure(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Registers a local repository's entity file as a `file` location, through
 * the catalog API with the signed-in user's credentials (so the permission
 * policy decides who may register). Registration is all or nothing: the
 * catalog's dry run must accept the file and nothing in it may exist yet;
 * after registering, the action waits until the catalog serves the entity,
 * and on any failure it removes the location (and the repository, if this
 * task created it).
 */
export function createCatalogRegisterAction(deps: {
  catalog: CatalogService;
  auth: AuthService;
  localRepos?: LocalRepositories;
  timeoutMs: number;
}) {
  return createFabricAction({
    id: 'fabric:catalog:register',
    description:
      "Registers a repository published by fabric:publish:local in the catalog as a file location, with the signed-in user's credentials, and waits until the catalog serves its entity, so the entity page works as soon as the task ends. All or nothing: on failure the location is removed, and the repository too when this task created it.",
    examples: [
      {
        description: 'Register the published site',
        example: toYaml({
          steps: [
            {
              id: 'register',
              action: 'fabric:catalog:register',
              input: {
                repoName: '${{ steps.publish.output.repoName }}',
                catalogInfoPath: 'catalog-info.yaml',
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const repos = deps.localRepos ?? notConfigured();
      const catalogInfoPath = input.catalogInfoPath ?? 'catalog-info.yaml';

      if (ctx.isDryRun) {
        // Nothing is published in a dry run; report what the workspace would register.
        const text = await fs.promises
          .readFile(`${ctx.workspacePath}/${catalogInfoPath}`, 'utf8')
          .catch(() => {
            throw new InputError(
              `${catalogInfoPath} is not in the workspace; render the entity first`,
            );
          });
        const refs = YAML.parseAllDocuments(text)
          .map(d => d.toJS())
          .filter(e => e?.kind && e?.metadata?.name)
          .map(e => stringifyEntityRef(e));
        if (!refs.length) {
          throw new InputError(`${catalogInfoPath} holds no entity`);
        }
        output({ entityRef: refs[0], entityRefs: refs });
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      let locationId: string | undefined;
      try {
        if (!deps.auth.isPrincipal(credentials, 'user')) {
          throw new NotAllowedError(
            'Catalog registration is done as the signed-in user, and this task was not started by a user',
          );
        }
        const target = await repos.fileIn(input.repoName, catalogInfoPath);
        const options = { credentials };
        const dryRun = await deps.catalog
          .addLocation({ type: 'file', target, dryRun: true }, options)
          .catch(e => {
            // The catalog client reports a refusal as a ResponseError with status 403.
            if (e?.name === 'NotAllowedError' || e?.response?.status === 403) {
              throw new NotAllowedError(
                `You may not register entities in the catalog (${describeFailure(
                  e,
                )}); ask an operator to run this template`,
              );
            }
            throw e;
          });
        if (dryRun.exists) {
          throw new ConflictError(
            `${target} is already registered in the catalog`,
          );
        }
        const refs = dryRun.entities
          .filter(e => e.kind !== 'Location')
          .map(e => stringifyEntityRef(e));
        if (!refs.length) {
          throw new InputError(
            `${catalogInfoPath} holds no entity to register`,
          );
        }
        for (const ref of refs) {
          if (await deps.catalog.getEntityByRef(ref, options)) {
            throw new ConflictError(
              `${ref} already exists in the catalog; choose another name`,
            );
          }
        }
        const created = await deps.catalog.addLocation(
          { type: 'file', target },
          options,
        );
        locationId = created.location.id;
        await waitForEntities(deps.catalog, refs, credentials, deps.timeoutMs);
        ctx.logger.info(`Registered ${refs.join(', ')} from ${input.repoName}`);
        output({ entityRef: refs[0], entityRefs: refs, locationId });
      } catch (e) {
        await rollBack(ctx, deps, repos, input, locationId, credentials);
        throw e;
      }
    },
  });
}

async function waitForEntities(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(refs);
  while (pending.size) {
    for (const ref of [...pending]) {
      if (await catalog.getEntityByRef(ref, { credentials }))
        pending.delete(ref);
    }
    if (!pending.size) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog did not ingest ${[...pending].join(
          ', ',
        )} within ${Math.round(
          timeoutMs / 1000,
        )} s; the registration was rolled back. Check the catalog's processing errors and retry`,
      );
    }
    await sleep(250);
  }
}

async function rollBack(
  ctx: {
    logger: { warn(m: string): void; info(m: string): void };
    task: { id: string };
  },
  deps: { catalog: CatalogService },
  repos: LocalRepositories,
  input: { repoName: string; removeRepoOnFailure: boolean },
  locationId: string | undefined,
  credentials: BackstageCredentials,
) {
  if (locationId) {
    try {
      await deps.catalog.removeLocationById(locationId, { credentials });
      ctx.logger.info(`Removed catalog location ${locationId} again`);
    } catch (e) {
      ctx.logger.warn(
        `Could not remove catalog location ${locationId}: ${describeFailure(
          e,
        )}`,
      );
    }
  }
  if (input.removeRepoOnFailure) {
    try {
      if (await repos.removeIfCreatedBy(input.repoName, ctx.task.id)) {
        ctx.logger.info(`Removed local repository ${input.repoName} again`);
      }
    } catch (e) {
      ctx.logger.warn(
        `Could not remove local repository ${input.repoName}: ${describeFailure(
          e,
        )}`,
      );
    }
  }
}
