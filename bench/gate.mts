// Part 3: the approval gate (`GET /api/approvals/gate?tenant=...&changeRef=...`) under 50
// concurrent connections with the CI token, next to the same backend's health route (the goals:
// >= 50% of its requests/s, p99 <= 2x its p99) and a bare Node `http` server answering the same
// body (context), measured in the same run with the same load generator (autocannon).
//
// The gate is asked about a real proposal: a tenant member (bea.birds) signs in through the
// development OpenID Connect provider and submits a capacity change with a change reference.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  type BenchOptions,
  type Figure,
  type PartResult,
  cpuSeconds,
  freePort,
  goalFigure,
  log,
  loadAverage,
  now,
  repoRoot,
  requireRepo,
  sleep,
  spawnLogged,
  stopChild,
  waitFor,
} from './lib/common.mts';
import { type BenchBackend, CI_TOKEN, getJson } from './lib/backend.mts';

const { oidcSignIn, frameResponse } = requireRepo<
  typeof import('../packages/backend/src/__tests__/support/oidcFlow')
>('packages/backend/src/__tests__/support/oidcFlow.ts');

interface LoadResult {
  rps: number;
  /** CPU time (user + system) the server process spent per answered request, in ms. */
  cpuMsPerRequest?: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/**
 * Waits (at most `timeoutMs`) until the backend is idle: start-up work (catalog processing of
 * the repository's entities, the first search index build, ...) runs in the same process and
 * would otherwise be measured as if the gate had spent it. Returns the last window's CPU share.
 */
export async function waitForQuiet(
  pid: number | undefined,
  timeoutMs = 120_000,
): Promise<number | undefined> {
  const windowMs = 2_000;
  const deadline = now() + timeoutMs;
  let share: number | undefined;
  while (now() < deadline) {
    const before = cpuSeconds(pid);
    await sleep(windowMs);
    const after = cpuSeconds(pid);
    if (before === undefined || after === undefined) return undefined;
    share = (after - before) / (windowMs / 1000);
    if (share < 0.05) break;
  }
  return share;
}

async function load(
  url: string,
  headers: Record<string, string>,
  duration: number,
  serverPid: number | undefined,
): Promise<LoadResult> {
  // Warm-up, not recorded.
  await autocannon({ url, connections: 50, duration: 2, headers });
  const cpuBefore = cpuSeconds(serverPid);
  const r = await autocannon({ url, connections: 50, duration, headers });
  const cpuAfter = cpuSeconds(serverPid);
  return {
    cpuMsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : Math.round(((cpuAfter - cpuBefore) * 1e6) / r.requests.total) / 1000,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** Signs a tenant member in and submits a proposal the gate can be asked about. */
export async function prepareGate(backend: BenchBackend) {
  await waitFor(
    'the birds tenant in the catalog',
    async () => {
      const { status } = await getJson(
        `${backend.baseUrl}/api/catalog/entities/by-name/tenant/default/project-birds`,
        CI_TOKEN,
      );
      return status === 200 ? true : undefined;
    },
    180_000,
  );
  const { submitted } = await oidcSignIn({
    backendUrl: backend.baseUrl,
    env: 'development',
    username: 'bea.birds',
    password: 'fabric-dev',
  });
  const token = frameResponse(submitted).response.backstageIdentity.token;
  const changeRef = `bench!${Date.now()}`;
  const res = await fetch(`${backend.baseUrl}/api/approvals/proposals`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      tenant: 'project-birds',
      type: 'capacity-change',
      environment: 'samakia-prod',
      title: 'Benchmark: more memory for birds',
      changeRef,
      change: {
        quotas: {
          cpuCores: 8,
          memoryGiB: 48,
          storageGiB: 500,
          maxDatabases: 4,
          maxConnections: 200,
        },
      },
    }),
  });
  if (res.status !== 201) {
    throw new Error(
      `submitting the proposal answered ${res.status}: ${await res.text()}`,
    );
  }
  return `/api/approvals/gate?tenant=project-birds&changeRef=${encodeURIComponent(
    changeRef,
  )}`;
}

export async function gatePart(
  backend: BenchBackend,
  options: BenchOptions,
): Promise<PartResult> {
  const started = now();
  const gatePath = await prepareGate(backend);
  const first = await fetch(`${backend.baseUrl}${gatePath}`, {
    headers: { Authorization: `Bearer ${CI_TOKEN}` },
  });
  const body = await first.text();
  if (first.status !== 200) {
    throw new Error(`the gate answered ${first.status}: ${body}`);
  }
  const bodyFile = path.join(backend.tmpDir, 'gate-body.json');
  fs.writeFileSync(bodyFile, body);

  const idle = await waitForQuiet(backend.child.pid);
  log(
    `gate: backend CPU while idle ${
      idle === undefined ? 'unknown' : `${Math.round(idle * 100)}%`
    } of one core`,
  );

  const port = await freePort();
  const bare = spawnLogged(
    process.execPath,
    [path.join(repoRoot, 'bench/lib/bare-server.mts'), String(port), bodyFile],
    {},
  );
  const duration = options.quick ? 5 : 20;
  let bareResult: LoadResult;
  let gateResult: LoadResult;
  let ceilingResult: LoadResult;
  try {
    await waitFor('the bare server', async () =>
      (await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined,
    );
    log(`gate: bare http server (load ${loadAverage()})`);
    bareResult = await load(
      `http://127.0.0.1:${port}${gatePath}`,
      {},
      duration,
      bare.pid,
    );
    log(`gate: /api/approvals/gate (load ${loadAverage()})`);
    gateResult = await load(
      `${backend.baseUrl}${gatePath}`,
      { authorization: `Bearer ${CI_TOKEN}` },
      duration,
      backend.child.pid,
    );
    log(`gate: health route (load ${loadAverage()})`);
    ceilingResult = await load(
      `${backend.baseUrl}/.backstage/health/v1/liveness`,
      {},
      duration,
      backend.child.pid,
    );
  } finally {
    await stopChild(bare);
  }

  const note = (r: LoadResult) =>
    `${r.requests} requests in ${duration} s, p50 ${r.p50} ms, ${
      r.errors
    } errors, ${r.non2xx} non-2xx${
      r.cpuMsPerRequest === undefined
        ? ''
        : `, server CPU ${r.cpuMsPerRequest} ms per request`
    }`;
  // The goals are read against the backend's own health route, measured in the same run: it
  // passes the same root middleware (helmet, CORS, compression, request log) but no plugin
  // router, auth, permission or database, so no route of this backend can be faster.
  const figures: Figure[] = [
    {
      part: 'gate-api',
      name: 'bare Node http server (context): requests/s at 50 connections',
      value: Math.round(bareResult.rps),
      unit: 'req/s',
      note: `${note(bareResult)}, p99 ${bareResult.p99} ms`,
    },
    {
      part: 'gate-api',
      name: 'backend health route: requests/s at 50 connections',
      value: Math.round(ceilingResult.rps),
      unit: 'req/s',
      note: `${note(ceilingResult)}, p99 ${ceilingResult.p99} ms; ${
        Math.round((ceilingResult.rps / bareResult.rps) * 1000) / 10
      }% of bare`,
    },
    {
      part: 'gate-api',
      name: 'gate API: requests/s at 50 connections',
      value: Math.round(gateResult.rps),
      unit: 'req/s',
      note: `${note(gateResult)}, p99 ${gateResult.p99} ms; ${
        Math.round((gateResult.rps / bareResult.rps) * 1000) / 10
      }% of bare`,
    },
    {
      part: 'gate-api',
      name: 'gate API: server CPU per request (health route beside it)',
      value: gateResult.cpuMsPerRequest ?? null,
      unit: 'ms',
      note: `health route ${
        ceilingResult.cpuMsPerRequest ?? 'n/a'
      } ms per request`,
    },
    goalFigure(
      {
        part: 'gate-api',
        name: 'gate API requests/s as a share of the health route',
        value: Math.round((gateResult.rps / ceilingResult.rps) * 1000) / 10,
        unit: '%',
      },
      { op: '>=', bound: 50, unit: '%' },
    ),
    goalFigure(
      {
        part: 'gate-api',
        name: 'gate API p99 / health route p99, 50 connections',
        value:
          Math.round((gateResult.p99 / Math.max(ceilingResult.p99, 1)) * 100) /
          100,
        unit: 'x',
        note: `gate p99 ${gateResult.p99} ms, health route p99 ${ceilingResult.p99} ms`,
      },
      { op: '<=', bound: 2, unit: 'x' },
    ),
  ];
  return {
    part: 'gate-api',
    figures,
    details: {
      bare: bareResult,
      gate: gateResult,
      ceiling: ceilingResult,
      backendIdleCpuShare: idle,
      gateBody: JSON.parse(body),
    },
    seconds: (now() - started) / 1000,
  };
}
