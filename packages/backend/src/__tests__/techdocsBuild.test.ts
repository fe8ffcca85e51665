import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// The TechDocs backend builds runbooks locally (techdocs.builder: local) from their folders in
// the checkout. A real sync, as the docs page triggers it, must leave every file under techdocs/
// byte for byte as it was: no rewritten mkdocs.yml, no created docs/index.md.

jest.setTimeout(240_000);

const techdocsDir = path.join(repoRoot, 'techdocs');

/** Every file under `dir` with the SHA-256 of its content (and the folders, as entries). */
function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  })) {
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, full);
    result[key] = entry.isFile()
      ? createHash('sha256').update(fs.readFileSync(full)).digest('hex')
      : 'dir';
  }
  return result;
}

describe('TechDocs local builds', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  let token: string;

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
      }),
    });
    await waitFor('the runbooks in the catalog', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=resource,spec.type=runbook&limit=100`,
        {
          headers: {
            Authorization: `Bearer ${CI_TOKEN}`,
          },
        },
      );
      const body = await res.json();
      return body.items?.length >= 2 ? body : undefined;
    });
    token = await devSignIn(backend.baseUrl, 'olivia.operator');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it.each(['dr-drill', 'tenant-onboarding'])(
    'syncs %s into the publisher without touching the checkout',
    async id => {
      const before = snapshot(techdocsDir);
      const res = await fetch(
        `${backend.baseUrl}/api/techdocs/sync/default/resource/${id}`,
        {
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'text/event-stream',
          },
        },
      );
      expect(res.status).toBe(200);
      const events = await res.text();
      expect(events).toMatch(/event: finish\ndata: \{"updated":true\}/);
      // The site was really built and published ...
      expect(
        fs.existsSync(
          path.join(
            backend.tmpDir,
            'techdocs/default/resource',
            id,
            'index.html',
          ),
        ),
      ).toBe(true);
      // ... from a copy: the checkout is as it was, byte for byte.
      expect(snapshot(techdocsDir)).toEqual(before);
    },
  );

  it("syncs the portal's own docs (dir:. at the repository root) from mkdocs.yml and docs/ only", async () => {
    const tracked = ['mkdocs.yml', 'catalog-info.yaml'].map(file =>
      fs.readFileSync(path.join(repoRoot, file)),
    );
    const docsBefore = snapshot(path.join(repoRoot, 'docs'));
    const res = await fetch(
      `${backend.baseUrl}/api/techdocs/sync/default/component/fabric-portal`,
      {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'text/event-stream',
        },
      },
    );
    expect(res.status).toBe(200);
    // A copy of the whole checkout would hit node_modules' absolute symlinks and fail the build.
    expect(await res.text()).toMatch(/event: finish\ndata: \{"updated":true\}/);
    expect(
      fs.existsSync(
        path.join(
          backend.tmpDir,
          'techdocs/default/component/fabric-portal/permissions/index.html',
        ),
      ),
    ).toBe(true);
    expect(
      ['mkdocs.yml', 'catalog-info.yaml'].map(file =>
        fs.readFileSync(path.join(repoRoot, file)),
      ),
    ).toEqual(tracked);
    expect(snapshot(path.join(repoRoot, 'docs'))).toEqual(docsBefore);
  });
});
