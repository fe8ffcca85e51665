import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import yaml from 'yaml';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// The portal's own documentation (mkdocs.yml over docs/, entity component:default/fabric-portal)
// is a TechDocs site like the runbooks: it builds strictly with the machine's mkdocs, loads
// nothing from the internet, is registered in the catalog, is served by the real backend after
// scripts/techdocs-build.mts pre-built it, and search finds its pages.

jest.setTimeout(240_000);

const ciToken = CI_TOKEN;
const read = (file: string) =>
  fs.readFileSync(path.join(repoRoot, file), 'utf8');

describe('the portal documentation site', () => {
  it('is a catalog entity with a TechDocs site over every page of docs/', () => {
    const entity = yaml.parse(read('catalog-info.yaml'));
    expect(entity.kind).toBe('Component');
    expect(entity.metadata.name).toBe('fabric-portal');
    expect(entity.metadata.annotations['backstage.io/techdocs-ref']).toBe(
      'dir:.',
    );
    expect(yaml.parse(read('catalog/all.yaml')).spec.targets).toContain(
      '../catalog-info.yaml',
    );

    const mkdocs = yaml.parse(read('mkdocs.yml'));
    expect(mkdocs.docs_dir).toBe('docs');
    // No Google Fonts (the portal runs offline) and no plugin the machine lacks.
    expect(mkdocs.theme).toEqual({ name: 'material', font: false });
    expect(mkdocs.plugins).toEqual(['search']);
    const inNav = mkdocs.nav.map((item: object) => Object.values(item)[0]);
    const pages = fs
      .readdirSync(path.join(repoRoot, 'docs'))
      .filter(f => f.endsWith('.md'));
    expect([...inNav].sort()).toEqual([...pages].sort());
  });

  it('builds with mkdocs --strict, without warnings or external fonts', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-docs-'));
    try {
      const result = spawnSync(
        'mkdocs',
        ['build', '--strict', '--site-dir', out],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      expect(result.error).toBeUndefined();
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/WARNING/);
      expect(result.status).toBe(0);
      const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
      expect(html).toContain('Fabric Portal');
      expect(html).not.toMatch(/fonts\.(googleapis|gstatic)\.com/);
      expect(fs.existsSync(path.join(out, 'entity-model/index.html'))).toBe(
        true,
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  describe('in the running portal', () => {
    let backend: Awaited<ReturnType<typeof bootBackend>>;
    let userToken = '';
    const publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-pub-'));
    const mkdocsBefore = read('mkdocs.yml');

    beforeAll(async () => {
      // Pre-build as the start script does; the generator rewrites mkdocs.yml, so this also
      // proves that the build leaves the checkout alone.
      const build = spawnSync(
        process.execPath,
        [
          path.join(repoRoot, 'scripts/techdocs-build.mts'),
          '--out',
          publishDir,
          '--only',
          'fabric-portal',
        ],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      if (build.status !== 0) {
        throw new Error(`techdocs-build failed: ${build.stderr}`);
      }

      backend = await bootBackend({
        configs: ['app-config.yaml'],
        extraConfig: () => ({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          techdocs: { publisher: { local: { publishDirectory: publishDir } } },
          search: {
            collators: {
              techdocs: {
                schedule: {
                  initialDelay: { seconds: 2 },
                  // Merged over app-config's { minutes: 1 }, so the minutes are reset too.
                  frequency: { minutes: 0, seconds: 5 },
                  timeout: { minutes: 2 },
                },
              },
            },
          },
        }),
      });
      await waitFor('the portal entity in the catalog', async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-name/component/default/fabric-portal`,
          { headers: { Authorization: `Bearer ${ciToken}` } },
        );
        return res.status === 200 ? true : undefined;
      });
      // A tenant member: the portal's docs belong to no tenant, so everybody reads them.
      userToken = await devSignIn(backend.baseUrl, 'bea.birds');
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(publishDir, { recursive: true, force: true });
    });

    it('left mkdocs.yml of the checkout untouched', () => {
      expect(read('mkdocs.yml')).toBe(mkdocsBefore);
    });

    it('serves its TechDocs pages', async () => {
      const get = (urlPath: string) =>
        fetch(`${backend.baseUrl}/api/techdocs${urlPath}`, {
          headers: { Authorization: `Bearer ${userToken}` },
        });
      const metadata = await get(
        '/metadata/techdocs/default/component/fabric-portal',
      );
      expect(metadata.status).toBe(200);
      // Without the techdocs-core plugin the metadata carries the build, not a site name.
      expect((await metadata.json()).files).toContain(
        'entity-model/index.html',
      );
      const page = await get(
        '/static/docs/default/component/fabric-portal/permissions/index.html',
      );
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('tenantPermissions');
    });

    it('is found by search', async () => {
      // "Recharts" appears only on the Drift page of the portal docs.
      const hit = await waitFor('search to index the portal docs', async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/search/query?term=Recharts&types%5B0%5D=techdocs`,
          { headers: { Authorization: `Bearer ${userToken}` } },
        );
        const body = await res.json();
        return (body.results ?? []).find((r: any) =>
          String(r.document?.location).startsWith(
            '/docs/default/component/fabric-portal/drift',
          ),
        );
      });
      expect(hit.document.text).toContain('Recharts');
    });
  });
});
