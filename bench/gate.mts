// Part 3: the approval gate (`GET /api/approvals/gate?tenant=...&changeRef=...`) under 50
// concurrent connections with the CI token, next to a bare Node `http` server answering the
// same body, measured in the same run with the same load generator (autocannon).
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
  freePort,
  goalFigure,
  log,
  loadAverage,
  now,
  repoRoot,
  requireRepo,
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
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  duration: number,
): Promise<LoadResult> {
  // Warm-up, not recorded.
  await autocannon({ url, connections: 50, duration: 2, headers });
  const r = await autocannon({ url, connections: 50, duration, headers });
  return {
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
    { timeoutMs: 180_000 },
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

  const port = await freePort();
  const bare = spawnLogged(
    process.execPath,
    [path.join(repoRoot, 'bench/lib/bare-server.mts'), String(port), bodyFile],
    {},
  );
  const duration = options.quick ? 5 : 20;
  let bareResult: LoadResult;
  let gateResult: LoadResult;
  try {
    await waitFor('the bare server', async () =>
      (await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined,
    );
    log(`gate: bare http server (load ${loadAverage()})`);
    bareResult = await load(
      `http://127.0.0.1:${port}${gatePath}`,
      {},
      duration,
    );
    log(`gate: /api/approvals/gate (load ${loadAverage()})`);
    gateResult = await load(
      `${backend.baseUrl}${gatePath}`,
      { authorization: `Bearer ${CI_TOKEN}` },
      duration,
    );
  } finally {
    await stopChild(bare);
  }

  const ratio = gateResult.rps / bareResult.rps;
  const note = (r: LoadResult) =>
    `${r.requests} requests in ${duration} s, p50 ${r.p50} ms, ${r.errors} errors, ${r.non2xx} non-2xx`;
  const figures: Figure[] = [
    {
      part: 'gate-api',
      name: 'bare Node http server: requests/s at 50 connections',
      value: Math.round(bareResult.rps),
      unit: 'req/s',
      note: `${note(bareResult)}, p99 ${bareResult.p99} ms`,
    },
    {
      part: 'gate-api',
      name: 'gate API: requests/s at 50 connections',
      value: Math.round(gateResult.rps),
      unit: 'req/s',
      note: note(gateResult),
    },
    goalFigure(
      {
        part: 'gate-api',
        name: 'gate API requests/s as a share of bare',
        value: Math.round(ratio * 1000) / 10,
        unit: '%',
      },
      { op: '>=', bound: 50, unit: '%' },
    ),
    goalFigure(
      {
        part: 'gate-api',
        name: 'gate API p99 latency at 50 connections',
        value: gateResult.p99,
        unit: 'ms',
      },
      { op: '<=', bound: 20, unit: ' ms' },
    ),
  ];
  return {
    part: 'gate-api',
    figures,
    details: { bare: bareResult, gate: gateResult, gateBody: JSON.parse(body) },
    seconds: (now() - started) / 1000,
  };
}
