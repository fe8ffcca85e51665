import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, waitFor } from '../../support/bootBackend';
import { pgConnection } from './postgres';

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

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => child.once('exit', () => resolve()));
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
  const override = {
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: {
        client: 'pg',
        connection: pgConnection(),
        prefix: options.databasePrefix,
        // One database per plugin, each with its own pool: keep them small so several backends
        // (and the rest of the test run) fit into the server's connection limit.
        knexConfig: { pool: { min: 0, max: 4, idleTimeoutMillis: 5000 } },
      },
    },
    auth: {
      providers: {
        oidc: {
          development: {
            metadataUrl: `${baseUrl}/api/dev-idp/.well-known/openid-configuration`,
          },
        },
      },
    },
    catalog: {
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog/all.yaml') },
      ],
    },
    techdocs: {
      publisher: { local: { publishDirectory: path.join(tmpDir, 'techdocs') } },
    },
    evidence: {
      roots: [
        { name: 'samples', path: path.join(repoRoot, 'evidence-samples') },
      ],
      dataDir: path.join(dataDir, 'evidence'),
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
    fabric: {
      scaffolder: {
        localPublish: { dir: path.join(dataDir, 'scaffolder-repos') },
      },
    },
  };
  const files = [override, options.extraConfig ?? {}].map((content, i) => {
    // JSON is YAML, so the config loader reads these like app-config files.
    const file = path.join(tmpDir, `app-config.test-${i}.yaml`);
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  });
  const args = [
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    'src/index.ts',
    ...[path.join(repoRoot, 'app-config.yaml'), ...files].flatMap(f => [
      '--config',
      f,
    ]),
  ];

  let child: ChildProcess | undefined;
  let stopped = false;

  const ready = async () => {
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  };

  async function launch() {
    const out = fs.openSync(logFile, 'a');
    const started = spawn(process.execPath, args, {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        // jest's own settings must not leak into the backend.
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    child = started;
    const outcome = await waitFor(
      `the backend process ${options.label} to be ready`,
      async () => {
        if (started.exitCode !== null || started.signalCode !== null) {
          return 'exited' as const;
        }
        return (await ready()) ? ('ready' as const) : undefined;
      },
      180_000,
    ).catch(error => {
      // Never leave a half-started backend behind.
      started.kill('SIGKILL');
      throw new Error(
        `${error.message}; its log ends:\n${fs
          .readFileSync(logFile, 'utf8')
          .slice(-3000)}`,
      );
    });
    if (outcome === 'exited') {
      throw new Error(
        `the backend process ${options.label} exited (${
          started.exitCode ?? started.signalCode
        }):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
      );
    }
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
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (child) {
        const gone = exited(child);
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
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = exited(child);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
    ready,
  };
}
