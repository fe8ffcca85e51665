import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  ImageProcess,
  PreparedImage,
  prepareImage,
  productionEnv,
  startImage,
  waitReady,
} from './support/productionImage';
import {
  acceptanceFiles,
  startS3Server,
  tarGz,
  writePacket,
} from '@internal/plugin-evidence-backend/testUtils';
import { pgDatabasePrefix, pgQuery } from './reliability/support/postgres';
import { freePort, waitFor } from './support/bootBackend';

// Replicas of the production image (see productionImage.test.ts for how it is run without a
// container daemon) on one PostgreSQL: three started at the same moment on an empty database
// prefix all migrate and become ready, and a replica told to stop with SIGTERM finishes the
// request it is in the middle of, answers it, and exits 0.

jest.setTimeout(30 * 60_000);

const run = (label: string) =>
  JSON.stringify({
    source: 'ci/drift-nightly',
    environment: 'samakia-dev',
    tenant: 'project-birds',
    findings: [
      {
        provider: 'postgres',
        resource: `birds-dev/${label}`,
        class: 'in-sync',
        verdict: 'PASS',
        declared: 200,
        observed: 200,
      },
    ],
  });

/** Whether a new TCP connection to the port is refused (the listener has closed). */
function refused(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) =>
      resolve(e.code === 'ECONNREFUSED'),
    );
  });
}

describe('production replicas on one PostgreSQL', () => {
  const db = pgDatabasePrefix('replicas');
  const ciToken = randomBytes(24).toString('hex');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-replicas-'));
  let image: PreparedImage;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  const replicas: ImageProcess[] = [];

  beforeAll(async () => {
    s3 = await startS3Server(['evidence', 'techdocs']);
    image = await prepareImage();
    fs.chmodSync(tmp, 0o777);
  });

  afterAll(async () => {
    for (const replica of replicas) {
      if (
        replica.child.exitCode === null &&
        replica.child.signalCode === null
      ) {
        replica.child.kill('SIGKILL');
        await replica.exited;
      }
    }
    await db.drop();
    await s3?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts three replicas at the same moment on an empty database: each migrates once and all become ready', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    replicas.push(
      ...(await Promise.all(
        ports.map((port, i) =>
          startImage(
            image,
            productionEnv({
              baseUrl: `http://127.0.0.1:${port}`,
              prefix: db.prefix,
              ciToken,
              s3,
            }),
            { port, logFile: path.join(tmp, `replica-${i}.log`) },
          ),
        ),
      )),
    );
    await Promise.all(replicas.map(r => waitReady(r)));

    const databases = (
      await pgQuery<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${db.prefix}%`],
      )
    ).map(d => d.datname);
    expect(databases).toEqual(
      expect.arrayContaining(
        ['catalog', 'approvals', 'evidence', 'drift', 'signing-keys'].map(
          db.database,
        ),
      ),
    );
    for (const database of databases) {
      const [{ present }] = await pgQuery<{ present: boolean }>(
        "SELECT to_regclass('public.knex_migrations') IS NOT NULL AS present",
        [],
        database,
      );
      if (!present) continue;
      const twice = await pgQuery(
        'SELECT name, count(*) FROM knex_migrations GROUP BY name HAVING count(*) > 1',
        [],
        database,
      );
      expect({ database, twice }).toEqual({ database, twice: [] });
      // One lock row, unlocked: two rows (a race inserting it) make knex report "already
      // locked" on every later start.
      const lockRows = await pgQuery<{ is_locked: number }>(
        'SELECT is_locked FROM knex_migrations_lock',
        [],
        database,
      );
      expect({ database, lockRows }).toEqual({
        database,
        lockRows: [{ is_locked: 0 }],
      });
    }
    // Every replica serves the same catalog.
    for (const replica of replicas) {
      const items = await waitFor('the catalog', async () => {
        const res = await fetch(
          `${replica.baseUrl}/api/catalog/entities/by-query?filter=kind=tenant`,
          { headers: { Authorization: `Bearer ${ciToken}` } },
        );
        const body = await res.json();
        return body.items?.length > 0 ? body.items : undefined;
      });
      expect(items.map((e: any) => e.metadata.name)).toContain('project-birds');
    }
  });

  it('stores an evidence upload received by one replica in object storage; every replica serves it', async () => {
    const dir = writePacket(
      path.join(tmp, 'packet'),
      acceptanceFiles('Replicated packet'),
    );
    const body = fs.readFileSync(tarGz(dir, path.join(tmp, 'packet.tgz')));
    const upload = await fetch(
      `${replicas[1].baseUrl}/api/evidence/packets?area=tenants&subject=project-birds&timestamp=2026-07-01T09:00:00Z`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${ciToken}`,
          'Content-Type': 'application/gzip',
        },
        body,
      },
    );
    expect(upload.status).toBe(201);
    const { packet } = await upload.json();
    for (const replica of replicas) {
      const preview = await fetch(
        `${replica.baseUrl}/api/evidence/packets/${packet.id}/preview?path=summary.md`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      expect(preview.status).toBe(200);
      expect((await preview.json()).text).toContain('Replicated packet');
    }
  });

  it('finishes and answers a request in flight when SIGTERM arrives, then exits 0; another replica serves what it stored', async () => {
    const [stopping, other] = replicas;
    const body = Buffer.from(run('in-flight'));
    const half = Math.floor(body.length / 2);
    const inFlight: { req?: http.ClientRequest } = {};
    const response = new Promise<{ status: number; text: string }>(
      (resolve, reject) => {
        const req = http.request(
          `${stopping.baseUrl}/api/drift/runs`,
          {
            method: 'POST',
            agent: false,
            headers: {
              Authorization: `Bearer ${ciToken}`,
              'Content-Type': 'application/json',
              'Content-Length': body.length,
            },
          },
          res => {
            let text = '';
            res.on('data', chunk => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, half));
        inFlight.req = req;
      },
    );
    await waitFor('the request to be under way', async () =>
      inFlight.req ? true : undefined,
    );

    stopping.child.kill('SIGTERM');
    // Shutdown has begun: readiness says so, so a load balancer takes the replica out...
    await waitFor('readiness to report the shutdown', async () => {
      const res = await fetch(
        `${stopping.baseUrl}/.backstage/health/v1/readiness`,
      );
      await res.arrayBuffer();
      return res.status === 503 ? true : undefined;
    });
    // ...and once the shutdown delay is over, shutdown waits for this request before it stops
    // the plugins. Only now does the rest of the request's body arrive.
    await waitFor(
      'shutdown to wait for the request in flight',
      async () =>
        stopping
          .log()
          .includes('request(s) in flight before stopping the plugins')
          ? true
          : undefined,
      60_000,
    );
    inFlight.req!.end(body.subarray(half));

    const answer = await response;
    expect(answer.status).toBe(201);

    const stored = JSON.parse(answer.text);
    expect(await stopping.exited).toBe(0);
    // The drain ended with that request, not at its timeout: nothing else held it (the events
    // bus's long polls are not waited for).
    expect(stopping.log()).toContain(
      'Requests in flight finished; stopping the plugins',
    );
    expect(stopping.log()).not.toContain('still in flight');
    // Gone for good: no new connection gets in.
    expect(await refused(stopping.port)).toBe(true);

    const read = await fetch(
      `${other.baseUrl}/api/drift/runs/${stored.run.id}`,
      {
        headers: { Authorization: `Bearer ${ciToken}` },
      },
    );
    expect(read.status).toBe(200);
    expect((await read.json()).findings).toHaveLength(1);
  });
});
