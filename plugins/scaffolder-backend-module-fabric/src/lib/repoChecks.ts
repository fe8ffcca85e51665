import { ConflictError, InputError } from '@backstage/errors';
import {
  describeValue,
  fabricErrorMap,
  formatZodError,
} from '@internal/plugin-fabric-common';
import { LocalRepositories, repoNameSchema } from './localRepos';

/**
 * Render steps check the repository name before anything irreversible (a
 * proposal, a registration) happens, so a later publish step does not fail on
 * a name that was never going to work.
 */
export async function checkRepoName(
  name: string,
  localRepos: LocalRepositories | undefined,
): Promise<void> {
  const valid = repoNameSchema.safeParse(name, { error: fabricErrorMap });
  if (!valid.success) {
    throw new InputError(
      `The repository name ${describeValue(
        name,
      )} is not usable: ${formatZodError(valid.error)}`,
    );
  }
  if (localRepos && (await localRepos.exists(name))) {
    throw new ConflictError(
      `A local repository named ${name} already exists; choose another name`,
    );
  }
}
