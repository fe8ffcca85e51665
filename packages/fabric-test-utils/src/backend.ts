import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The one way the integration tests, the reliability suite and the benchmark start the real
 * backend: the loopback config layered over the repository's app-config files, written as config
 * files, and (for a separate process) the spawn and the wait for readiness. The in-process start
 * (`createFabricBackend` in the backend package's tests) uses the same config layers.
 */

// This package sits at packages/fabric-test-utils; the repository is three levels above src/.
// It is only ever run from source (jest, Playwright, the bench through the CLI's transform).
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../..');

/** A TCP port free on the loopback interface right now. */
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

/**
 * Polls `probe` every `intervalMs` until it returns something other than undefined; a probe that
 * throws counts as "not yet" (its last error is in the timeout message).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  intervalMs = 500,
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
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}: ${last ?? 'no result'}`);
}

/** A config layer: the loopback `backend` keys, and whatever else it sets. */
export type LoopbackConfig = {
  backend: { baseUrl: string; listen: { host: string; port: number } };
} & Record<string, any>;

/**
 * The config layer that moves a backend of the repository's app-config files to loopback on
 * `port`: its own development OIDC issuer (unless `oidc: false`, e.g. for the production
 * profile's external issuer), the sample catalog by absolute path (config paths are relative to
 * the working directory, which differs between callers) and, with `dataDir`, every folder the
 * backend writes to (TechDocs site, evidence uploads, scaffolder repositories).
 */
export function loopbackConfig(options: {
  port: number;
  oidc?: boolean;
  dataDir?: string;
  /** Where the TechDocs publisher writes; default `<dataDir>/techdocs`. */
  techdocsDir?: string;
}): LoopbackConfig {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const { dataDir } = options;
  return {
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port: options.port },
    },
    ...(options.oidc === false
      ? {}
      : {
          auth: {
            providers: {
              oidc: {
                development: {
                  metadataUrl: `${baseUrl}/api/dev-idp/.well-known/openid-configuration`,
                },
              },
            },
          },
        }),
    catalog: {
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog/all.yaml') },
      ],
    },
    ...(dataDir
      ? {
          techdocs: {
            publisher: {
              local: {
                publishDirectory:
                  options.techdocsDir ?? path.join(dataDir, 'techdocs'),
              },
            },
          },
          evidence: {
            roots: [
              {
                name: 'samples',
                path: path.join(repoRoot, 'evidence-samples'),
              },
            ],
            dataDir: path.join(dataDir, 'evidence'),
          },
          fabric: {
            scaffolder: {
              localPublish: { dir: path.join(dataDir, 'scaffolder-repos') },
            },
          },
        }
      : {}),
  };
}

/**
 * Writes each config layer to `dir` as its own file (JSON is YAML, so the config loader reads
 * them like app-config files) and returns the `--config` arguments: the repository's files named
 * in `repoConfigs` first, then the layers in order (later ones win).
 */
export function configArgs(
  dir: string,
  repoConfigs: string[],
  layers: object[],
  name = 'test',
): string[] {
  const files = layers.map((content, i) => {
    const file = path.join(dir, `app-config.${name}-${i}.yaml`);
    fs.writeFileSync(file, JSON.stringify(content, null, 2));
    return file;
  });
  return [...repoConfigs.map(c => path.join(repoRoot, c)), ...files].flatMap(
    f => ['--config', f],
  );
}

/** Resolves once the process has exited (at once when it already has). */
export function processExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => child.once('exit', () => resolve()));
}

/** SIGTERM, SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = processExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** The last `chars` characters of a log file ('' when there is none). */
export function logTail(logFile: string, chars = 3000): string {
  return fs.existsSync(logFile)
    ? fs.readFileSync(logFile, 'utf8').slice(-chars)
    : '';
}

/**
 * Starts `node <args>` (a backend entry point with its `--config` arguments) in `cwd`, its
 * output appended straight to `logFile` (never piped through this process), and waits until
 * `<baseUrl>/.backstage/health/v1/readiness` answers 200. A process that exits or is not ready
 * within `timeoutMs` is killed and reported with the end of its log.
 */
export async function launchBackendProcess(options: {
  label: string;
  baseUrl: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
  /** Called with the child right after the spawn (to stop it if the caller is interrupted). */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<ChildProcess> {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  options.onSpawn?.(child);
  const running = () => child.exitCode === null && child.signalCode === null;
  const outcome = await waitFor(
    `the backend process ${options.label} to be ready`,
    async () => {
      if (!running()) return 'exited' as const;
      return (await isReady(options.baseUrl)) ? ('ready' as const) : undefined;
    },
    options.timeoutMs,
  ).catch(error => {
    // Never leave a half-started backend behind.
    child.kill('SIGKILL');
    throw new Error(
      `${error.message}; its log ends:\n${logTail(options.logFile)}`,
    );
  });
  if (outcome === 'exited') {
    throw new Error(
      `the backend process ${options.label} exited (${
        child.exitCode ?? child.signalCode
      }):\n${logTail(options.logFile)}`,
    );
  }
  return child;
}

/** Whether the backend at `baseUrl` answers its readiness probe with 200. */
export async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
