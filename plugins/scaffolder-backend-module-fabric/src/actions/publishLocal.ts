import path from 'node:path';
import fs from 'node:fs';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { describeValue } from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { blankAsUndefined, createFabricAction } from '../lib/fabricAction';
import { LocalRepositories, repoNameSchema } from '../lib/localRepos';
import { taskUser, toYaml } from '../lib/workspace';

const inputSchema = z.strictObject({
  repoName: repoNameSchema.describe(
    'Name of the new repository under the local publish directory',
  ),
  sourcePath: blankAsUndefined(
    z
      .string()
      .describe('Workspace folder to publish; the whole workspace when blank'),
  ),
  commitMessage: blankAsUndefined(z.string().trim().min(1).max(500)),
});

const outputSchema = z.object({
  repoName: z.string(),
  repoContentsUrl: z
    .string()
    .describe(
      'file:// URL of the repository working tree (dry-run: a placeholder)',
    ),
  commitHash: z.string(),
  files: z.array(z.string()).describe('The committed files'),
});

export function notConfigured(): never {
  throw new InputError(
    'Local publishing is not configured (fabric.scaffolder.localPublish.dir); this backend publishes with the standard publish actions instead',
  );
}

/** Lists the files a publish would commit, for dry runs. */
async function listWorkspace(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string) {
    for (const e of await fs.promises.readdir(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== '.git') await walk(child);
      else if (e.isFile()) out.push(child);
    }
  }
  await walk('');
  return out.sort();
}

export function createPublishLocalAction(deps: {
  localRepos?: LocalRepositories;
}) {
  return createFabricAction({
    id: 'fabric:publish:local',
    description:
      'The embedded local publisher: commits the workspace (or a folder of it) as a new git repository under the local publish directory (fabric.scaffolder.localPublish.dir), authored by the signed-in user. Names are validated and symlinks refused, nothing is written outside that directory, and an existing repository is never overwritten. Production uses the standard publish actions (publish:github, ...) instead; see the README.',
    examples: [
      {
        description: 'Publish the rendered site',
        example: toYaml({
          steps: [
            {
              id: 'publish',
              action: 'fabric:publish:local',
              input: {
                repoName: '${{ steps.render.output.repoName }}',
                commitMessage: 'New site from the Fabric Portal',
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
      let sourceDir: string;
      try {
        sourceDir = resolveSafeChildPath(
          ctx.workspacePath,
          input.sourcePath ?? '.',
        );
      } catch {
        throw new InputError(
          `sourcePath ${describeValue(
            input.sourcePath,
          )} is outside the workspace; give a folder inside it, or leave it blank for the whole workspace`,
        );
      }
      if (await repos.exists(input.repoName)) {
        throw new InputError(
          `A local repository named ${input.repoName} already exists; choose another name`,
        );
      }
      if (ctx.isDryRun) {
        const files = await listWorkspace(sourceDir);
        ctx.logger.info(
          `Dry run: would commit ${files.length} files as local repository ${input.repoName}`,
        );
        output({
          repoName: input.repoName,
          repoContentsUrl: `file://local-publish/${input.repoName}`,
          commitHash: 'dry-run',
          files,
        });
        return;
      }
      const author = taskUser(ctx);
      const repo = await repos.publish({
        name: input.repoName,
        sourceDir,
        message:
          input.commitMessage ??
          `Initial commit from ${
            ctx.templateInfo?.entityRef ?? 'a Fabric Portal template'
          }`,
        author: { name: author.name, email: author.email },
        taskId: ctx.task.id,
      });
      ctx.logger.info(
        `Committed ${repo.commit.slice(0, 12)} as local repository ${
          repo.name
        }`,
      );
      output({
        repoName: repo.name,
        repoContentsUrl: repo.url,
        commitHash: repo.commit,
        files: await repos.committedFiles(repo.name),
      });
    },
  });
}
