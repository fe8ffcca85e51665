import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import { DirectoryPreparer } from '@backstage/plugin-techdocs-node';
import type { Entity } from '@backstage/catalog-model';
import { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';
import { sourceEtag } from './sourceEtag';

describe('CopyingDirectoryPreparer', () => {
  const config = new ConfigReader({});
  const logger = mockServices.logger.mock();
  let root: string;
  let docsFolder: string;
  let workingDirectory: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'copying-preparer-'));
    docsFolder = path.join(root, 'runbook');
    workingDirectory = path.join(root, 'work');
    fs.mkdirSync(path.join(docsFolder, 'docs'), { recursive: true });
    fs.mkdirSync(path.join(docsFolder, 'node_modules/pkg'), {
      recursive: true,
    });
    fs.mkdirSync(path.join(docsFolder, '.git'), { recursive: true });
    fs.mkdirSync(workingDirectory);
    fs.writeFileSync(
      path.join(docsFolder, 'mkdocs.yml'),
      'site_name: "Runbook"\n',
    );
    fs.writeFileSync(path.join(docsFolder, 'docs/index.md'), '# Runbook\n');
    fs.writeFileSync(path.join(docsFolder, 'node_modules/pkg/x.js'), '');
    fs.writeFileSync(path.join(docsFolder, '.git/HEAD'), '');
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function entity(ref: string, location: string): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'runbook',
        annotations: {
          'backstage.io/techdocs-ref': ref,
          'backstage.io/managed-by-location': location,
        },
      },
    };
  }

  const preparer = () =>
    new CopyingDirectoryPreparer(
      DirectoryPreparer.fromConfig(config, {
        logger,
        reader: mockServices.urlReader.mock(),
      }),
      { scmIntegrations: ScmIntegrations.fromConfig(config), workingDirectory },
    );

  it('hands out a scratch copy of a file location folder, which is cleaned after the build', async () => {
    const p = preparer();
    const { preparedDir } = await p.prepare(
      entity('dir:.', `file:${path.join(docsFolder, 'catalog-info.yaml')}`),
    );
    expect(p.shouldCleanPreparedDirectory()).toBe(true);
    expect(path.dirname(preparedDir)).toBe(fs.realpathSync(workingDirectory));
    expect(
      fs.readFileSync(path.join(preparedDir, 'docs/index.md'), 'utf8'),
    ).toBe('# Runbook\n');
    // What the generator does to its input stays in the copy.
    fs.writeFileSync(path.join(preparedDir, 'mkdocs.yml'), 'rewritten: true\n');
    expect(fs.readFileSync(path.join(docsFolder, 'mkdocs.yml'), 'utf8')).toBe(
      'site_name: "Runbook"\n',
    );
    // Never needed for a docs build, possibly huge.
    expect(fs.existsSync(path.join(preparedDir, 'node_modules'))).toBe(false);
    expect(fs.existsSync(path.join(preparedDir, '.git'))).toBe(false);
  });

  it('copies only what mkdocs reads from a site at a repository root', async () => {
    fs.mkdirSync(path.join(docsFolder, 'plugins/a'), { recursive: true });
    fs.writeFileSync(path.join(docsFolder, 'plugins/a/index.ts'), '');
    fs.mkdirSync(path.join(docsFolder, 'handbook/ops'), { recursive: true });
    fs.writeFileSync(path.join(docsFolder, 'handbook/ops/index.md'), '# Ops\n');
    fs.mkdirSync(path.join(docsFolder, 'overrides'));
    fs.writeFileSync(path.join(docsFolder, 'overrides/main.html'), '');
    fs.writeFileSync(
      path.join(docsFolder, 'mkdocs.yml'),
      'site_name: Portal\ndocs_dir: "handbook/" # the pages\ntheme:\n  name: material\n  custom_dir: overrides\n',
    );
    const { preparedDir } = await preparer().prepare(
      entity('dir:.', `file:${path.join(docsFolder, 'catalog-info.yaml')}`),
    );
    expect(fs.readdirSync(preparedDir).sort()).toEqual([
      'handbook',
      'mkdocs.yml',
      'overrides',
    ]);
    expect(
      fs.readFileSync(path.join(preparedDir, 'handbook/ops/index.md'), 'utf8'),
    ).toBe('# Ops\n');
  });

  it('gives unchanged sources their stored etag back as "not modified", and changed ones a new etag', async () => {
    const ref = entity(
      'dir:.',
      `file:${path.join(docsFolder, 'catalog-info.yaml')}`,
    );
    const first = await preparer().prepare(ref);
    expect(first.etag).toBe(sourceEtag(docsFolder));
    expect(first.etag).toMatch(/^sha256-[0-9a-f]{32}$/);
    // The same sources: nothing to rebuild, so TechDocs shows no "newer version" banner.
    await expect(
      preparer().prepare(ref, { etag: first.etag, logger }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    // Files mkdocs never reads do not count.
    fs.writeFileSync(path.join(docsFolder, 'node_modules/pkg/x.js'), 'x');
    fs.writeFileSync(path.join(docsFolder, 'notes.txt'), 'scratch');
    await expect(
      preparer().prepare(ref, { etag: first.etag, logger }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    // A changed page, a new page or a renamed page is a new version.
    const etags = new Set([first.etag]);
    fs.writeFileSync(path.join(docsFolder, 'docs/index.md'), '# Runbook v2\n');
    etags.add((await preparer().prepare(ref, { etag: first.etag })).etag);
    fs.writeFileSync(path.join(docsFolder, 'docs/steps.md'), '# Steps\n');
    etags.add((await preparer().prepare(ref, { etag: first.etag })).etag);
    fs.renameSync(
      path.join(docsFolder, 'docs/steps.md'),
      path.join(docsFolder, 'docs/step.md'),
    );
    etags.add((await preparer().prepare(ref, { etag: first.etag })).etag);
    expect(etags.size).toBe(4);
  });

  it('hashes content only: a copy of the folder elsewhere has the same etag', () => {
    const copy = path.join(root, 'copy');
    fs.cpSync(docsFolder, copy, { recursive: true });
    expect(sourceEtag(copy)).toBe(sourceEtag(docsFolder));
    // One byte more is a new version.
    fs.writeFileSync(path.join(copy, 'docs/index.md'), '# Runbook\n ');
    expect(sourceEtag(copy)).not.toBe(sourceEtag(docsFolder));
  });

  it('keeps refusing a dir: reference that leaves the entity folder', async () => {
    await expect(
      preparer().prepare(
        entity(
          'dir:../..',
          `file:${path.join(docsFolder, 'catalog-info.yaml')}`,
        ),
      ),
    ).rejects.toThrow(/outside/i);
    expect(fs.readdirSync(workingDirectory)).toEqual([]);
  });
});
