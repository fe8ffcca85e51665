// Part 6: requests/s and p95 through a real load balancer (HAProxy from Debian) in front of 1
// and then 3 replicas of the production image (the Dockerfile's steps performed outside a
// container, as in packages/backend/src/__tests__/productionImage.test.ts) on one PostgreSQL
// and one S3 server. A read mix with the CI token: catalog query, gate read, evidence list,
// drift current. On a 2-core machine three replicas share the same cores as one: the figure is
// context (replicas add availability, not throughput, here); what counts is that nothing fails.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  type BenchOptions,
  type Figure,
  type PartResult,
  freePort,
  log,
  loadAverage,
  now,
  percentile,
  requireRepo,
} from './lib/common.mts';

type ImageModule =
  typeof import('../packages/backend/src/__tests__/support/productionImage');
type HaproxyModule =
  typeof import('../packages/backend/src/__tests__/support/haproxy');
type PostgresModule =
  typeof import('../packages/backend/src/__tests__/reliability/support/postgres');
type S3Module =
  typeof import('../plugins/evidence-backend/src/__testUtils__/s3');

const READS = [
  '/api/catalog/entities/by-query?filter=kind=tenant&limit=20',
  '/api/approvals/gate?tenant=project-birds&changeRef=bench-none',
  '/api/evidence/packets?tenant=project-birds&limit=20',
  '/api/drift/current?tenant=project-birds',
];

/** Per read and status: what came back (e.g. `gate 404: 812`), so every loss has a name. */
type Tally = Record<string, number>;

function scenarioName(requestPath: string) {
  return requestPath.split('?')[0].replace(/^\/api\//, '');
}

async function load(baseUrl: string, token: string, seconds: number) {
  const latencies: number[] = [];
  const tally: Tally = {};
  let failed = 0;
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: baseUrl,
      connections: 20,
      duration: seconds,
      // A loaded 2-core machine answers slowly; a late answer is measured, not dropped.
      timeout: 30,
      headers: { authorization: `Bearer ${token}` },
      requests: READS.map(p => ({
        method: 'GET' as const,
        path: p,
        onResponse: (status: number) => {
          const key = `${scenarioName(p)} ${status}`;
          tally[key] = (tally[key] ?? 0) + 1;
          // The gate answers 404 for a change no proposal carries; that is an answer.
          if (status >= 500) failed++;
        },
      })),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await done;
  // autocannon's `errors` already counts the timeouts: they are not added twice.
  return {
    rps: Math.round(result.requests.average),
    p95: Math.round(percentile(latencies, 95) * 10) / 10,
    requests: result.requests.total,
    failed: failed + result.errors,
    errors: result.errors,
    timeouts: result.timeouts,
    tally,
  };
}

/**
 * What HAProxy saw (its `option httplog` lines): status and termination state per answer
 * (e.g. `503 SC--` is a replica refusing the connection, `<NOSRV>` no replica up) and the
 * health-check transitions (`r0 is DOWN`), so a failure is told from a slow answer.
 */
function haproxySummary(logFile: string): Tally {
  const tally: Tally = {};
  const add = (key: string) => {
    tally[key] = (tally[key] ?? 0) + 1;
  };
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    // HAProxy writes each change twice (a log line and a `[WARNING]` alert): count the first.
    const down = /^Server replicas\/(\S+) is (DOWN|UP)/.exec(line);
    if (down) add(`${down[1]} ${down[2]}`);
    const answer = /replicas\/(\S+) \S+ (\d{3}) \d+ \S+ \S+ (\S{4}) /.exec(
      line,
    );
    if (answer && (answer[2] >= '500' || answer[3] !== '----')) {
      add(`${answer[2]} ${answer[3]} ${answer[1]}`);
    }
  }
  return tally;
}

export async function replicasPart(options: BenchOptions): Promise<PartResult> {
  const started = now();
  const image = requireRepo<ImageModule>(
    'packages/backend/src/__tests__/support/productionImage.ts',
  );
  const { startHaproxy } = requireRepo<HaproxyModule>(
    'packages/backend/src/__tests__/support/haproxy.ts',
  );
  const { pgDatabasePrefix } = requireRepo<PostgresModule>(
    'packages/backend/src/__tests__/reliability/support/postgres.ts',
  );
  const { startS3Server } = requireRepo<S3Module>(
    'plugins/evidence-backend/src/__testUtils__/s3.ts',
  );
  const seconds = options.quick ? 10 : 30;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-bench-replicas-'));
  fs.chmodSync(tmp, 0o777);
  const db = pgDatabasePrefix('bench_replicas');
  const token = crypto.randomBytes(24).toString('hex');
  const s3 = await startS3Server(['evidence', 'techdocs']);
  const replicas: Awaited<ReturnType<ImageModule['startImage']>>[] = [];
  const figures: Figure[] = [];
  try {
    log(
      'replicas: preparing the production image (first run: several minutes)',
    );
    const prepared = await image.prepareImage(line => log(`image: ${line}`));
    const lbPort = await freePort();
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      const r = await image.startImage(
        prepared,
        image.productionEnv({
          baseUrl: `http://127.0.0.1:${lbPort}`,
          prefix: db.prefix,
          ciToken: token,
          s3,
        }),
        { port, logFile: path.join(tmp, `r${i}.log`) },
      );
      replicas.push(r);
      // Starts on a loaded shared machine have taken more than the default 4 minutes.
      await image.waitReady(r, 10 * 60_000);
    }
    for (const count of [1, 3]) {
      const lbDir = fs.mkdtempSync(path.join(tmp, `lb${count}-`));
      const lb = await startHaproxy({
        dir: lbDir,
        servers: ports
          .slice(0, count)
          .map((port, i) => ({ name: `r${i}`, port })),
        port: lbPort,
        httpLog: true,
      });
      try {
        // Warm-up: the first requests pay for caches and connection pools.
        await load(lb.baseUrl, token, 3);
        log(
          `replicas: ${count} replica(s), ${seconds} s, load ${loadAverage()}`,
        );
        const r = await load(lb.baseUrl, token, seconds);
        const name = `${count} replica${
          count > 1 ? 's' : ''
        } behind HAProxy, read mix, 20 connections`;
        figures.push(
          {
            part: 'replicas',
            name: `${name}: requests/s`,
            value: r.rps,
            unit: 'req/s',
          },
          { part: 'replicas', name: `${name}: p95`, value: r.p95, unit: 'ms' },
          {
            part: 'replicas',
            name: `${name}: failed requests (5xx, errors, timeouts)`,
            value: r.failed,
            unit: '',
            goal: '<= 0',
            met: r.failed === 0,
            note: `${r.requests} requests, ${r.errors} connection errors (${
              r.timeouts
            } timeouts); ${Object.entries(r.tally)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')}`,
          },
        );
      } finally {
        await lb.stop();
        const seen = haproxySummary(path.join(lbDir, 'haproxy.log'));
        log(
          `replicas: HAProxy with ${count}: ${
            Object.entries(seen)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ') || 'every answer complete, no health change'
          }`,
        );
      }
    }
  } finally {
    for (const r of replicas) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGTERM');
        await r.exited;
      }
    }
    await db.drop();
    await s3.close();
    // FABRIC_BENCH_KEEP_LOGS=<folder>: keep HAProxy's and the replicas' logs for a closer look.
    const keep = process.env.FABRIC_BENCH_KEEP_LOGS;
    if (keep) fs.cpSync(tmp, keep, { recursive: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return {
    part: 'replicas',
    figures,
    details: { cores: os.cpus().length },
    seconds: (now() - started) / 1000,
  };
}
