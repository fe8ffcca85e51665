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

/** Folders a docs build never needs and that can be huge (a `dir:.` at a repository root). */
const SKIPPED = new Set(['.git', 'node_modules']);

const MKDOCS_FILES = ['mkdocs.yml', 'mkdocs.yaml'];

/**
 * What of `dir` an mkdocs build reads: its config file, the `docs_dir` (default `docs`) and a
 * theme `custom_dir`, when the config names them; undefined when there is no mkdocs config (the
 * generator then writes a default one, so the whole folder is copied). A site at a repository
 * root (the portal's own docs, `dir:.`) must not copy the checkout, its data or its toolchain.
 */
export function mkdocsInputs(dir: string): string[] | undefined {
  const config = MKDOCS_FILES.find(name => fs.existsSync(path.join(dir, name)));
  if (!config) return undefined;
  const text = fs.readFileSync(path.join(dir, config), 'utf8');
  const value = (key: string) =>
    text
      .match(new RegExp(`^\\s*${key}:\\s*['"]?([^'"#\\s]+)`, 'm'))?.[1]
      ?.replace(/\/+$/, '');
  const inputs = [config, value('docs_dir') ?? 'docs', value('custom_dir')];
  return inputs.filter(
    (entry): entry is string =>
      entry !== undefined &&
      !path.isAbsolute(entry) &&
      !entry.split(/[\\/]/).includes('..') &&
      fs.existsSync(path.join(dir, entry)),
  );
}

/**
 * The preparer for `backstage.io/techdocs-ref: dir:...`, wrapping upstream's.
 *
 * Upstream's DirectoryPreparer hands the generator the entity's own folder when the entity came
 * from a `file` location (our runbooks under techdocs/), and the generator then edits files
 * there: it rewrites mkdocs.yml (YAML re-dumped, `theme.font: false` added, plugins) and may
 * create docs/index.md. Every sync left the checkout dirty. Here the generator gets a scratch
 * copy, removed after the build; entities from `url` locations already arrive as a scratch tree
 * read by the URL reader, which is now removed after the build too.
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
    return { ...prepared, preparedDir: scratch };
  }
}
