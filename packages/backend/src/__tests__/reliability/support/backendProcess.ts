import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-undeclared-imports
import {
  configArgs,
  freePort,
  isReady,
  launchBackendProcess,
  loopbackConfig,
  processExit,
  repoRoot,
  stopProcess,
} from '@internal/fabric-test-utils';
import { backendDatabase } from './postgres';

/** Where `backstage-cli package start` runs the backend from: the package folder. */
const backendDir = path.join(repoRoot, 'packages/backend');

export interface BackendProcess {
  baseUrl: string;
  port: number;
  /** The process id of the running backend (changes on restart). */
  readonly pid: number;
  /** Everything the backend wrote to stdout and stderr so far. */
  log(): string;
  /** Sends SIGKILL and waits until the process is gone. */
  kill(): Promise<void>;
  /** Starts the backend again on the same port, database and folders. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 15 s), then removes its folders. Safe to call twice. */
  stop(): Promise<void>;
  ready(): Promise<boolean>;
}

/**
 * Runs the real backend (packages/backend/src/index.ts, i.e. `createFabricBackend().start()`) as
 * a separate process, the way `backstage-cli package start` does (Node with the CLI's TypeScript
 * transform), on app-config.yaml plus an override: PostgreSQL databases `<prefix><plugin>`,
 * loopback on a free port, temporary folders for everything the backend writes.
 */
export async function startBackendProcess(options: {
  databasePrefix: string;
  label: string;
  /** More config layered on top (e.g. approval rules). */
  extraConfig?: object;
  /** Shares the evidence and scaffolder folders of another backend process. */
  dataDir?: string;
}): Promise<BackendProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const tmpDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `fabric-${options.label}-`),
  );
  const dataDir = options.dataDir ?? path.join(tmpDir, 'data');
  const logFile = path.join(tmpDir, 'backend.log');
  const base = loopbackConfig({
    port,
    dataDir,
    techdocsDir: path.join(tmpDir, 'techdocs'),
  });
  const override = {
    ...base,
    backend: {
      ...base.backend,
      database: backendDatabase(options.databasePrefix),
    },
    evidence: {
      ...base.evidence,
      // Tests rescan on demand (POST /rescan); a scheduled rescan in the middle of a test would
      // rewrite the acceptance markers and look like a change made by the test.
      rescan: { frequency: { hours: 1 }, initialDelay: { hours: 1 } },
    },
    // The search index is not under test: keep its collators from competing for the CPU.
    search: {
      collators: {
        catalog: { schedule: { initialDelay: { hours: 1 } } },
        techdocs: { schedule: { initialDelay: { hours: 1 } } },
      },
    },
  };
  const args = [
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    'src/index.ts',
    ...configArgs(
      tmpDir,
      ['app-config.yaml'],
      [override, options.extraConfig ?? {}],
    ),
  ];

  let child: ChildProcess | undefined;
  let stopped = false;

  async function launch() {
    child = await launchBackendProcess({
      label: options.label,
      baseUrl,
      args,
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        // jest's own settings must not leak into the backend.
        NODE_OPTIONS: '',
      },
      logFile,
      timeoutMs: 180_000,
    });
  }

  try {
    await launch();
  } catch (error) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }

  return {
    baseUrl,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    log: () => fs.readFileSync(logFile, 'utf8'),
    async kill() {
      if (!child) return;
      const gone = processExit(child);
      child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (child) {
        const gone = processExit(child);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
        }
        await gone;
      }
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child) await stopProcess(child);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
    ready: () => isReady(baseUrl),
  };
}
