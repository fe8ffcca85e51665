import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageResult, parseDockerfile, performDockerfile } from './dockerfile';
import { withLock } from './imageLock';
import { freePort, repoRoot, waitFor } from './bootBackend';
import { pgUrl } from '../reliability/support/postgres';

// The production image without a container daemon: the backend bundle is built as CI builds it
// before `docker build` (`yarn build:backend`), then every step of packages/backend/Dockerfile is
// performed into a folder standing for the image's file system, and the backend is started from
// there with the Dockerfile's CMD, WORKDIR, ENV and USER. Used by the image test and by the
// multi-replica tests, which all run the same production bundle.

const dockerfile = path.join(repoRoot, 'packages/backend/Dockerfile');
const bundleDir = path.join(repoRoot, 'packages/backend/dist');
const yarnRelease = (() => {
  const rc = fs.readFileSync(path.join(repoRoot, '.yarnrc.yml'), 'utf8');
  return /^yarnPath:\s*(\S+)/m.exec(rc)![1];
})();

/** The uid:gid of the base image's `node` user, which USER switches to. */
export const IMAGE_USER = { name: 'node', uid: 1000, gid: 1000 };

function sha256(...parts: (string | Buffer)[]) {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}

/** A digest of every input of the bundle: tracked sources, local changes and untracked files. */
function sourceDigest(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repoRoot,
      maxBuffer: 256 * 1024 * 1024,
    });
  // Tests are not part of the bundle: changing one must not rebuild it.
  const scope = [
    'packages',
    'plugins',
    'yarn.lock',
    'package.json',
    ':(exclude,glob)**/__tests__/**',
    ':(exclude,glob)**/*.test.ts',
    ':(exclude,glob)**/*.test.tsx',
  ];
  const untracked = git('ls-files', '-o', '--exclude-standard', '--', ...scope)
    .toString()
    .split('\n')
    .filter(Boolean)
    .map(f => `${f}:${sha256(fs.readFileSync(path.join(repoRoot, f)))}`);
  return sha256(
    git('ls-files', '-s', '--', ...scope),
    git('diff', 'HEAD', '--', ...scope),
    untracked.join('\n'),
  );
}

/** Serialises work on one folder across jest workers (mkdir is atomic). */
/**
 * `yarn build:backend` unless packages/backend/dist already holds the bundle of exactly the
 * current sources.
 */
export async function buildBundle(log: (line: string) => void = () => {}) {
  const digest = sourceDigest();
  const stamp = path.join(bundleDir, '.fabric-source-digest');
  return withLock(path.join(os.tmpdir(), 'fabric-backend-bundle'), () => {
    if (
      fs.existsSync(path.join(bundleDir, 'bundle.tar.gz')) &&
      fs.existsSync(stamp) &&
      fs.readFileSync(stamp, 'utf8') === digest
    ) {
      log('backend bundle is up to date');
      return digest;
    }
    log('yarn build:backend');
    execFileSync(
      process.execPath,
      [path.join(repoRoot, yarnRelease), 'build:backend'],
      {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    fs.writeFileSync(stamp, digest);
    return digest;
  });
}

/** Stand-in for the base image's global Yarn 1, which hands over to `yarnPath` like this. */
function writeYarnShim(binDir: string) {
  fs.mkdirSync(binDir, { recursive: true });
  const shim = path.join(binDir, 'yarn');
  fs.writeFileSync(
    shim,
    [
      '#!/bin/sh',
      'dir="$PWD"',
      'while [ "$dir" != / ] && [ ! -f "$dir/.yarnrc.yml" ]; do dir="$(dirname "$dir")"; done',
      'release="$(sed -n "s/^yarnPath: *//p" "$dir/.yarnrc.yml")"',
      `exec "${process.execPath}" "$dir/$release" "$@"`,
      '',
    ].join('\n'),
  );
  fs.chmodSync(shim, 0o755);
}

export interface PreparedImage extends ImageResult {
  /** Seconds the Dockerfile's steps took (0 when an earlier run's folder was reused). */
  seconds: number;
}

/** Index of the first step after the production install (the cached "layer" ends there). */
function installLayerEnd(): number {
  const steps = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
  const index = steps.findIndex(
    s => s.instruction === 'RUN' && s.args.includes('workspaces focus'),
  );
  if (index < 0) throw new Error('Dockerfile: no production install step');
  return index + 1;
}

function fileDigest(...files: string[]) {
  return sha256(
    ...files.map(f => fs.readFileSync(path.join(repoRoot, f))),
  ).slice(0, 16);
}

/**
 * The image's file system for the current bundle. Like Docker's layer cache: the steps up to
 * the production install are performed once per skeleton, yarn.lock and Dockerfile and kept;
 * an image for a new bundle starts from a hard-linked copy of that layer and performs the rest.
 * Reused by the other test files of the run, too.
 */
export async function prepareImage(
  log: (line: string) => void = () => {},
): Promise<PreparedImage> {
  const digest = await buildBundle(log);
  const end = installLayerEnd();
  // Like Docker's cache: only the steps up to the install (and what they copy) key the layer.
  const layerSteps = JSON.stringify(
    parseDockerfile(fs.readFileSync(dockerfile, 'utf8')).slice(0, end),
  );
  const layerKey = fileDigest(
    'backstage.json',
    '.yarnrc.yml',
    yarnRelease,
    'yarn.lock',
    'package.json',
    'packages/backend/dist/skeleton.tar.gz',
  );
  const layerId = sha256(layerKey, layerSteps).slice(0, 16);
  const layer = path.join(os.tmpdir(), `fabric-image-layer-${layerId}`);
  const binDir = path.join(layer, 'bin');
  // The registry and native-addon settings of this machine (scripts/setup.sh) stand in for the
  // network the image build has; HOME is the node user's.
  const runEnv = (rootfs: string) => ({
    ...process.env,
    HOME: path.join(rootfs, 'home/node'),
  });
  const started = Date.now();
  const layerState = await withLock(layer, () => {
    const done = path.join(layer, 'layer.json');
    if (fs.existsSync(done)) {
      return JSON.parse(fs.readFileSync(done, 'utf8')) as ImageResult;
    }
    fs.rmSync(layer, { recursive: true, force: true });
    const rootfs = path.join(layer, 'rootfs');
    fs.mkdirSync(rootfs, { recursive: true });
    writeYarnShim(binDir);
    const state = performDockerfile({
      dockerfile,
      context: repoRoot,
      rootfs,
      binDir,
      runEnv: runEnv(rootfs),
      log,
      to: end,
    });
    fs.writeFileSync(done, JSON.stringify(state));
    return state;
  });

  const key = sha256(
    layerId,
    fs.readFileSync(dockerfile),
    fs.readFileSync(path.join(repoRoot, '.dockerignore')),
    digest,
    fileDigest('app-config.yaml', 'app-config.production.yaml'),
    execFileSync(
      'git',
      [
        'ls-files',
        '-s',
        'catalog',
        'catalog-info.yaml',
        'techdocs',
        'templates',
      ],
      { cwd: repoRoot },
    ),
  ).slice(0, 16);
  const base = path.join(os.tmpdir(), `fabric-image-${key}`);
  return withLock(base, () => {
    const done = path.join(base, 'image.json');
    if (fs.existsSync(done)) {
      return { ...JSON.parse(fs.readFileSync(done, 'utf8')), seconds: 0 };
    }
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
    const rootfs = path.join(base, 'rootfs');
    execFileSync('cp', ['-al', path.join(layer, 'rootfs'), rootfs]);
    const result = performDockerfile({
      dockerfile,
      context: repoRoot,
      rootfs,
      binDir,
      runEnv: runEnv(rootfs),
      log,
      from: end,
      state: layerState,
    });
    // COPY --chown=node:node and USER node: the files belong to the user the backend runs as.
    execFileSync('chown', [
      '-R',
      `${IMAGE_USER.uid}:${IMAGE_USER.gid}`,
      rootfs,
    ]);
    fs.chmodSync(base, 0o755);
    const prepared = { ...result, seconds: (Date.now() - started) / 1000 };
    fs.writeFileSync(done, JSON.stringify(prepared));
    return prepared;
  });
}

export interface ImageProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  log(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts the image's CMD in its WORKDIR as its USER with its ENV plus `env` (what a Kubernetes
 * Secret would inject). Only the listen address differs from a pod: loopback and a free port,
 * given as APP_CONFIG_ variables rather than another config file.
 */
export async function startImage(
  image: ImageResult,
  env: Record<string, string>,
  options: { port?: number; logFile: string; uid?: number } = {
    logFile: '',
  },
): Promise<ImageProcess> {
  const port = options.port ?? (await freePort());
  const [command, ...args] = image.cmd;
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(command === 'node' ? process.execPath : command, args, {
    cwd: path.join(image.rootfs, image.workdir),
    env: {
      PATH: process.env.PATH,
      HOME: path.join(image.rootfs, 'home', IMAGE_USER.name),
      ...image.env,
      APP_CONFIG_backend_listen_host: '127.0.0.1',
      APP_CONFIG_backend_listen_port: String(port),
      ...env,
    },
    uid: options.uid ?? IMAGE_USER.uid,
    gid: options.uid === 0 ? 0 : IMAGE_USER.gid,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<number | string>(resolve =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    child,
    exited,
    log: () => fs.readFileSync(options.logFile, 'utf8'),
  };
}

/** Waits for readiness; fails with the end of the log if the process exits or never gets ready. */
export async function waitReady(proc: ImageProcess, timeoutMs = 240_000) {
  let gone = false;
  void proc.exited.then(() => {
    gone = true;
  });
  const outcome = await waitFor(
    'the production backend to be ready',
    async () => {
      if (gone) return 'exited' as const;
      const res = await fetch(`${proc.baseUrl}/.backstage/health/v1/readiness`);
      await res.arrayBuffer();
      return res.status === 200 ? ('ready' as const) : undefined;
    },
    timeoutMs,
  ).catch(error => {
    throw new Error(`${error.message}\n${proc.log().slice(-4000)}`);
  });
  if (outcome === 'exited') {
    throw new Error(
      `the production backend exited (${await proc.exited}):\n${proc
        .log()
        .slice(-4000)}`,
    );
  }
}

/** An S3 server for the image's object storage (TechDocs and evidence buckets). */
export interface ImageS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** The environment deploy/kubernetes injects from its Secret, pointed at local services. */
export function productionEnv(options: {
  baseUrl: string;
  prefix: string;
  ciToken: string;
  s3: ImageS3;
}): Record<string, string> {
  const { s3 } = options;
  return {
    FABRIC_BASE_URL: options.baseUrl,
    POSTGRES_HOST: pgUrl.hostname,
    POSTGRES_PORT: pgUrl.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgUrl.username || 'postgres'),
    POSTGRES_PASSWORD: decodeURIComponent(pgUrl.password || 'unused'),
    POSTGRES_DB_PREFIX: options.prefix,
    FABRIC_CI_TOKEN: options.ciToken,
    FABRIC_AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
    // Discovery is retried after a failure (auth-backend-module-fabric-oidc), so an issuer that
    // is not there yet does not stop the start; sign-in is covered by productionProfile.test.ts.
    FABRIC_OIDC_METADATA_URL:
      'http://127.0.0.1:9/realms/fabric/.well-known/openid-configuration',
    FABRIC_OIDC_CLIENT_ID: 'fabric-portal',
    FABRIC_OIDC_CLIENT_SECRET: randomBytes(24).toString('hex'),
    FABRIC_GITHUB_OWNER: 'samakia',
    TECHDOCS_BUCKET: 'techdocs',
    TECHDOCS_S3_ENDPOINT: s3.endpoint,
    TECHDOCS_S3_REGION: s3.region,
    TECHDOCS_S3_ACCESS_KEY_ID: s3.accessKeyId,
    TECHDOCS_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    EVIDENCE_S3_BUCKET: 'evidence',
    EVIDENCE_S3_ENDPOINT: s3.endpoint,
    EVIDENCE_S3_REGION: s3.region,
    EVIDENCE_S3_ACCESS_KEY_ID: s3.accessKeyId,
    EVIDENCE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}
