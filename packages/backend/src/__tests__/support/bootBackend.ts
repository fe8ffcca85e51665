import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-undeclared-imports
import {
  configArgs,
  freePort,
  loopbackConfig,
} from '@internal/fabric-test-utils';
import { createFabricBackend } from '../../backend';

// eslint-disable-next-line @backstage/no-undeclared-imports
export { freePort, repoRoot, waitFor } from '@internal/fabric-test-utils';

/**
 * Boots the real backend composition in this process with the repo's config files plus the
 * shared loopback layer (a free port, its own OIDC issuer unless the production profile is
 * loaded; with `dataFolders`, its own folders) and whatever `extraConfig` adds.
 */
export async function bootBackend(options: {
  configs: string[];
  /**
   * Moves every folder the backend writes to (TechDocs site, evidence uploads with the sample
   * evidence root, scaffolder repositories) into the backend's temporary folder.
   */
  dataFolders?: boolean;
  /** More config, layered over the repo's files like any other config file. */
  extraConfig?: (ctx: { port: number; tmpDir: string }) => object;
}) {
  const port = await freePort();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-backend-'));
  const backend = createFabricBackend({
    argv: [
      'node',
      'backend',
      ...configArgs(tmpDir, options.configs, [
        loopbackConfig({
          port,
          // The production profile signs in through its external issuer.
          oidc: !options.configs.includes('app-config.production.yaml'),
          dataDir: options.dataFolders ? tmpDir : undefined,
        }),
        options.extraConfig?.({ port, tmpDir }) ?? {},
      ]),
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
