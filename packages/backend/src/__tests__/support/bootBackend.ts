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
  extraYaml?: (ctx: { port: number; tmpDir: string }) => string;
}) {
  const port = await freePort();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-backend-'));
  const override = path.join(tmpDir, 'app-config.test.yaml');
  fs.writeFileSync(
    override,
    [
      'backend:',
      `  baseUrl: http://127.0.0.1:${port}`,
      '  listen:',
      '    host: 127.0.0.1',
      `    port: ${port}`,
      options.extraYaml?.({ port, tmpDir }) ?? '',
    ].join('\n'),
  );
  const backend = createFabricBackend({
    argv: [
      'node',
      'backend',
      ...options.configs.flatMap(c => ['--config', path.join(repoRoot, c)]),
      '--config',
      override,
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
