import { CI_TOKEN } from '@internal/fabric-test-utils';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';

// The local default profile on an in-memory SQLite database: the catalog from catalog/ loads,
// and the CI query script in scripts/ reads it with the scoped static token.

jest.setTimeout(180_000);

const devToken = CI_TOKEN;
const script = path.join(repoRoot, 'scripts/catalog-query.mts');

/**
 * Runs the script as CI would. Asynchronously: the backend under test lives in this process
 * and must keep answering while the script waits for it.
 */
function runQuery(
  args: string[],
  token?: string,
  baseUrl?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FABRIC_CATALOG_URL: baseUrl,
  };
  delete env.FABRIC_CI_TOKEN;
  if (token) env.FABRIC_CI_TOKEN = token;
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [script, ...args],
      { env, cwd: repoRoot, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        resolve({
          status: typeof code === 'number' ? code : -1,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('CI catalog access on the local default profile', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;

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
    await waitFor('the network planes', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=plane,spec.type=network`,
        { headers: { Authorization: `Bearer ${devToken}` } },
      );
      const body = await res.json();
      return body.items?.length === 3 ? body : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('lists the network planes with the static token', async () => {
    const result = await runQuery(
      ['--kind', 'Plane', '--filter', 'spec.type=network'],
      devToken,
      backend.baseUrl,
    );
    expect(result.stderr).not.toMatch(/catalog-query:/);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').sort()).toEqual([
      'plane:default/dns',
      'plane:default/minio',
      'plane:default/shared',
    ]);
  });

  it('filters on nested spec fields', async () => {
    const result = await runQuery(
      ['--kind', 'Plane', '--filter', 'spec.network.vlan=140', '--json'],
      devToken,
      backend.baseUrl,
    );
    expect(result.status).toBe(0);
    const planes = JSON.parse(result.stdout);
    expect(planes).toHaveLength(1);
    expect(planes[0].spec.network.cidr).toBe('10.10.140.0/24');
  });

  it('asks the domain query API the questions it answers', async () => {
    // The read model is fed in the background: wait until it holds the planes.
    await waitFor('the domain read model', async () => {
      const res = await fetch(`${backend.baseUrl}/api/fabric-query/planes`, {
        headers: { Authorization: `Bearer ${devToken}` },
      });
      return ((await res.json()).items ?? []).length > 3 ? true : undefined;
    });
    const vlan = await runQuery(
      ['planes', 'vlan=140'],
      devToken,
      backend.baseUrl,
    );
    expect(vlan.stderr).toBe('');
    expect(vlan.stdout).toBe('plane:default/minio\n');
    // Tenants and their consumes relations arrive after the planes (the catalog stitches them
    // later): wait until the question has an answer, then check the answer.
    const consumers = await waitFor(
      'the tenants in the read model',
      async () => {
        const answer = await runQuery(
          ['tenants', 'consumes=postgres'],
          devToken,
          backend.baseUrl,
        );
        // Both consumers, not the first tenant stitched.
        return answer.stdout.trim().split('\n').length >= 2
          ? answer
          : undefined;
      },
    );
    expect(consumers.stdout.trim().split('\n')).toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-harbor',
    ]);
    const wrong = await runQuery(
      ['planes', 'vlan=9999'],
      devToken,
      backend.baseUrl,
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/vlan: .*4094/);
    const refused = await runQuery(
      ['planes'],
      'not-a-real-token',
      backend.baseUrl,
    );
    expect(refused.status).toBe(3);
  });

  it('refuses to run without a token', async () => {
    const result = await runQuery(
      ['--kind', 'Plane'],
      undefined,
      backend.baseUrl,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/FABRIC_CI_TOKEN is not set/);
  });

  it('is refused by the catalog with a wrong token', async () => {
    const result = await runQuery(
      ['--kind', 'Plane'],
      'not-a-real-token',
      backend.baseUrl,
    );
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/refused by the catalog \(401\)/);
  });

  it('cannot write with the read-only token', async () => {
    const res = await fetch(`${backend.baseUrl}/api/catalog/locations`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${devToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        type: 'url',
        target: 'https://example.com/x.yaml',
      }),
    });
    expect(res.status).toBe(403);
  });
});
