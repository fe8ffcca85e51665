import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { TECHDOCS_ANNOTATION } from '@backstage/plugin-techdocs-common';
import {
  parseReferenceAnnotation,
  transformDirLocation,
  type PreparerBase,
  type PreparerOptions,
  type PreparerResponse,
} from '@backstage/plugin-techdocs-node';
import { NotModifiedError } from '@backstage/errors';
import { mkdocsInputs } from './mkdocsInputs';
import { SKIPPED, sourceEtag } from './sourceEtag';

export { mkdocsInputs };

/**
 * The preparer for `backstage.io/techdocs-ref: dir:...`, wrapping upstream's.
 *
 * Upstream's DirectoryPreparer hands the generator the entity's own folder when the entity came
 * from a `file` location (our runbooks under techdocs/), and the generator then edits files
 * there: it rewrites mkdocs.yml (YAML re-dumped, `theme.font: false` added, plugins) and may
 * create docs/index.md. Every sync left the checkout dirty. Here the generator gets a scratch
 * copy, removed after the build; entities from `url` locations already arrive as a scratch tree
 * read by the URL reader, which is now removed after the build too.
 *
 * Upstream gives `dir` sources the etag "" — never equal to a stored one — so every open of a
 * runbook rebuilt it and showed "A newer version of this documentation is now available". Here
 * the etag is the hash of the sources (sourceEtag, also written by the pre-build script); when it
 * equals the published one the build is skipped (NotModifiedError), as upstream does for URLs.
 */
export class CopyingDirectoryPreparer implements PreparerBase {
  constructor(
    private readonly inner: PreparerBase,
    private readonly options: {
      scmIntegrations: ScmIntegrationRegistry;
      /** Where scratch copies go (backend.workingDirectory, else the OS temp folder). */
      workingDirectory?: string;
    },
  ) {}

  shouldCleanPreparedDirectory(): boolean {
    return true;
  }

  async prepare(
    entity: Entity,
    options?: PreparerOptions,
  ): Promise<PreparerResponse> {
    const { type } = transformDirLocation(
      entity,
      parseReferenceAnnotation(TECHDOCS_ANNOTATION, entity),
      this.options.scmIntegrations,
    );
    const prepared = await this.inner.prepare(entity, options);
    if (type !== 'dir') return prepared;

    const etag = sourceEtag(prepared.preparedDir);
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError(
        `Docs sources of ${entity.metadata.name} are unchanged`,
      );
    }

    const base = fs.realpathSync(this.options.workingDirectory ?? os.tmpdir());
    const scratch = await fs.promises.mkdtemp(
      path.join(base, 'techdocs-source-'),
    );
    try {
      const inputs = mkdocsInputs(prepared.preparedDir) ?? ['.'];
      for (const entry of inputs) {
        await fs.promises.cp(
          path.join(prepared.preparedDir, entry),
          path.join(scratch, entry),
          {
            recursive: true,
            filter: source => !SKIPPED.has(path.basename(source)),
          },
        );
      }
    } catch (error) {
      await fs.promises.rm(scratch, { recursive: true, force: true });
      throw error;
    }
    options?.logger?.debug(
      `Copied ${prepared.preparedDir} to ${scratch} for the build`,
    );
    return { preparedDir: scratch, etag };
  }
}
