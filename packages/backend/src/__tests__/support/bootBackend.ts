import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createFabricBackend } from '../../backend';

// The backend package sits at packages/backend; the repository is two levels up.
export const repoRoot = resolvePackagePath('backend', '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}: ${last ?? 'no result'}`);
}

/**
 * Boots the real backend composition with the repo's config files plus a test override that
 * only moves it to loopback on a free port (and whatever `extraYaml` adds).
 */
export async function bootBackend(options: {
  configs: string[];
  /** More config, layered over the repo's files like any other config file. */
  extraConfig?: (ctx: { port: number; tmpDir: string }) => object;
}) {
  const port = await freePort();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-backend-'));
  const override = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
    },
    // The OIDC sign-in fetches its issuer's discovery document at start-up (an unreachable one
    // fails the test run); point the local profile at this backend's own development issuer.
    ...(options.configs.includes('app-config.production.yaml')
      ? {}
      : {
          auth: {
            providers: {
              oidc: {
                development: {
                  metadataUrl: `http://127.0.0.1:${port}/api/dev-idp/.well-known/openid-configuration`,
                },
              },
            },
          },
        }),
    // Config file paths are relative to the working directory, which differs between
    // `yarn test` at the root and a package-level run; pin the catalog absolutely.
    catalog: {
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog/all.yaml') },
      ],
    },
  };
  const files = [override, options.extraConfig?.({ port, tmpDir }) ?? {}].map(
    (content, i) => {
      // JSON is YAML, so the config loader reads these like app-config files.
      const file = path.join(tmpDir, `app-config.test-${i}.yaml`);
      fs.writeFileSync(file, JSON.stringify(content));
      return file;
    },
  );
  const backend = createFabricBackend({
    argv: [
      'node',
      'backend',
      ...[
        ...options.configs.map(c => path.join(repoRoot, c)),
        ...files,
      ].flatMap(c => ['--config', c]),
    ],
  });
  await backend.start();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tmpDir,
    async stop() {
      await backend.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
