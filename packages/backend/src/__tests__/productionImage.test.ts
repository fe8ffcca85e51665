import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  IMAGE_USER,
  ImageProcess,
  PreparedImage,
  prepareImage,
  productionEnv,
  startImage,
  waitReady,
} from './support/productionImage';
import { startS3Server } from '@internal/plugin-evidence-backend/testUtils';
import { pgDatabasePrefix } from './reliability/support/postgres';
import { freePort, waitFor } from './support/bootBackend';

// The production image, step by step, without a container daemon: `yarn build:backend`, then
// packages/backend/Dockerfile performed into a folder (skeleton unpacked, `yarn workspaces focus
// --all --production` into it, bundle unpacked, config and catalog copied), then its CMD started
// in its WORKDIR as its non-root USER with NODE_ENV=production, app-config.production.yaml and
// the environment a Kubernetes Secret gives it, on the machine's PostgreSQL. What differs from a
// container: the host's Node 22 and Debian packages instead of the base image's, and loopback on
// a free port (APP_CONFIG_backend_listen_*) instead of 0.0.0.0:7007.

jest.setTimeout(45 * 60_000);

describe('the production image (Dockerfile steps performed outside a container)', () => {
  const db = pgDatabasePrefix('image');
  const ciToken = randomBytes(24).toString('hex');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-image-test-'));
  let image: PreparedImage;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let proc: ImageProcess | undefined;
  const steps: string[] = [];

  beforeAll(async () => {
    s3 = await startS3Server(['evidence', 'techdocs']);
    image = await prepareImage(line => steps.push(line));
    fs.chmodSync(tmp, 0o777);
    const port = await freePort();
    proc = await startImage(
      image,
      productionEnv({
        baseUrl: `http://127.0.0.1:${port}`,
        prefix: db.prefix,
        ciToken,
        s3,
      }),
      { port, logFile: path.join(tmp, 'backend.log') },
    );
    await waitReady(proc);
  });

  afterAll(async () => {
    if (proc && proc.child.exitCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    await db.drop();
    await s3?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is built the documented way: Node 22, non-root, production mode, backend bundle', () => {
    expect(image.from).toMatch(/^node:22-bookworm-slim$/);
    expect(image.user).toBe(IMAGE_USER.name);
    expect(image.env.NODE_ENV).toBe('production');
    expect(image.cmd).toEqual([
      'node',
      '.',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../app-config.production.yaml',
    ]);
    const app = path.join(image.rootfs, 'app');
    // The bundle's compiled backend and the built frontend it serves; no sources, no dev tools.
    expect(
      fs.existsSync(path.join(app, 'packages/backend/dist/index.cjs.js')),
    ).toBe(true);
    expect(fs.existsSync(path.join(app, 'packages/app/dist/index.html'))).toBe(
      true,
    );
    expect(fs.existsSync(path.join(app, 'packages/backend/src'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules/@backstage/cli'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(app, 'node_modules/jest'))).toBe(false);
    // The native addons were compiled by the production install (python3 and g++ in the image).
    expect(image.aptPackages).toEqual(
      expect.arrayContaining(['python3', 'g++', 'build-essential']),
    );
    expect(
      fs.existsSync(
        path.join(
          app,
          'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        ),
      ),
    ).toBe(true);
  });

  it('runs as the non-root user of the image', () => {
    const uid = execFileSync('ps', [
      '-o',
      'uid=',
      '-p',
      String(proc!.child.pid),
    ])
      .toString()
      .trim();
    expect(Number(uid)).toBe(IMAGE_USER.uid);
  });

  it('answers the health routes the Kubernetes probes use', async () => {
    for (const probe of ['readiness', 'liveness']) {
      const res = await fetch(`${proc!.baseUrl}/.backstage/health/v1/${probe}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('serves the built frontend with its runtime config', async () => {
    const res = await fetch(`${proc!.baseUrl}/catalog`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(new URL(script!, proc!.baseUrl));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    // app-backend injects the production config (app.baseUrl from FABRIC_BASE_URL).
    expect(html + (await js.text())).toContain(proc!.baseUrl);
  });

  it('migrates PostgreSQL and serves the catalog from the copied catalog/ to the CI token', async () => {
    const anonymous = await fetch(
      `${proc!.baseUrl}/api/catalog/entities/by-query`,
    );
    expect(anonymous.status).toBe(401);
    const planes = await waitFor('the planes', async () => {
      const res = await fetch(
        `${
          proc!.baseUrl
        }/api/catalog/entities/by-query?filter=kind=plane,spec.type=network`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      if (res.status !== 200) throw new Error(`catalog answered ${res.status}`);
      const body = await res.json();
      return body.items.length === 3 ? body.items : undefined;
    });
    expect(planes.map((e: any) => e.metadata.name).sort()).toEqual([
      'dns',
      'minio',
      'shared',
    ]);
  });

  it('exits 0 on SIGTERM', async () => {
    proc!.child.kill('SIGTERM');
    expect(await proc!.exited).toBe(0);
  });
});
