// The domain query API (plugins/fabric-query-backend) in the catalog part: the same seven
// questions as the by-query load, asked through /api/fabric-query; how long the read model
// takes to answer a change the catalog has just served (freshness); the backend's memory.
import fs from 'node:fs';
import path from 'node:path';
import {
  type BenchOptions,
  type Figure,
  goalFigure,
  log,
  now,
  percentile,
  sleep,
} from './lib/common.mts';
import {
  type BenchBackend,
  CI_TOKEN,
  getJson,
  startBackend,
} from './lib/backend.mts';
import { FABRIC_NAMESPACE } from './lib/entities.mts';
import { registerLocation } from './lib/ingest.mts';
import { type QueryResult, queryLoad } from './lib/queryLoad.mts';
import { type SqliteTuning, tuneCatalogSqlite } from './lib/sqliteTuning.mts';

const NS = FABRIC_NAMESPACE;

/** The seven questions of `queryPaths` (catalog.mts), one for one, through the domain API. */
export function domainPaths(count: { planes: number; services: number }) {
  const pick = (n: number) =>
    String(Math.floor(Math.random() * n)).padStart(5, '0');
  const q = (question: string, params: string) =>
    `/api/fabric-query/${question}?${params}&limit=20`;
  return [
    () => q('planes', 'type=network'),
    () =>
      q(
        'services',
        `type=service&plane=plane:${NS}/plane-${pick(
          Math.min(count.planes, 7),
        )}`,
      ),
    () => q('tenants', 'consumes=postgres'),
    () =>
      q(
        'tenants',
        'environment=resource:default/samakia-prod&owner=group:default/team-birds',
      ),
    () => q('rules', 'status=active'),
    () =>
      q(
        'services',
        `type=service&haTier=tier-1&environment=resource:default/samakia-prod&namespace=${NS}`,
      ),
    () => q('services', `name=svc-${pick(count.services)}&namespace=${NS}`),
  ];
}

async function countAll(backend: BenchBackend, question: string, params = '') {
  let total = 0;
  let cursor: string | undefined;
  do {
    const { status, body } = await getJson(
      `${backend.baseUrl}/api/fabric-query/${question}?limit=500${params}${
        cursor ? `&cursor=${cursor}` : ''
      }`,
      CI_TOKEN,
    );
    if (status !== 200) throw new Error(`${question} answered ${status}`);
    total += body.items.length;
    cursor = body.nextCursor;
  } while (cursor);
  return total;
}

/** How many entities of each of our kinds the batch holds. */
export interface ReadModelCount {
  planes: number;
  services: number;
  tenants: number;
  rules: number;
}

/** Waits until the read model holds every generated entity; returns the seconds it took. */

export async function waitForReadModel(
  backend: BenchBackend,
  expected: ReadModelCount,
): Promise<number> {
  const started = now();
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const got = {
      planes: await countAll(backend, 'planes'),
      services: await countAll(
        backend,
        'services',
        `&type=service&namespace=${NS}`,
      ),
      tenants: await countAll(backend, 'tenants'),
      rules: await countAll(backend, 'rules'),
    };
    // The repo's own catalog adds a few planes, tenants and rules of its own.
    if (
      got.planes >= expected.planes &&
      got.services >= expected.services &&
      got.tenants >= expected.tenants &&
      got.rules >= expected.rules
    ) {
      return (now() - started) / 1000;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${backend.label}: read model incomplete after 10 min: ${JSON.stringify(
          got,
        )}`,
      );
    }
    await sleep(1000);
  }
}

function freshPlane(vlan: number) {
  return [
    'apiVersion: fabric.samakia.io/v1alpha1',
    'kind: Plane',
    'metadata:',
    '  name: bench-fresh',
    `  namespace: ${NS}`,
    'spec:',
    '  type: network',
    '  owner: group:default/platform-operators',
    '  environment: resource:default/samakia-prod',
    '  haTier: tier-2',
    '  failureDomains: [proxmox1]',
    '  network:',
    '    sdnZone: zfresh',
    '    vnet: vnetfresh',
    `    vlan: ${vlan}`,
    '    cidr: 10.250.1.0/24',
    '    gatewayVip: 10.250.1.1',
    '',
  ].join('\n');
}

export interface Freshness {
  changes: number;
  /** Seconds from the catalog serving a change to the domain API answering with it. */
  lagP50: number;
  lagP95: number;
  /** Seconds from writing the file to the domain API answering (catalog processing included). */
  totalP95: number;
}

/**
 * Changes one Plane `changes` times (a new VLAN each time, in a file location of its own,
 * refreshed through the catalog API) and times, for each change, when by-query first serves
 * it and when the domain API first answers it (both polled every 100 ms).
 */
export async function freshness(
  backend: BenchBackend,
  dir: string,
  changes: number,
): Promise<Freshness> {
  const file = path.join(dir, 'bench-fresh.yaml');
  fs.writeFileSync(file, freshPlane(4000));
  await registerLocation(backend, file);
  // The first version must be in the catalog before it can be refreshed.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { body } = await getJson(
      `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=plane,metadata.name=bench-fresh&limit=1&totalItems=exclude`,
      CI_TOKEN,
    );
    if (body.items?.length) break;
    if (Date.now() > deadline) throw new Error('bench-fresh never appeared');
    await sleep(500);
  }
  const lags: number[] = [];
  const totals: number[] = [];
  for (let i = 1; i <= changes; i++) {
    const vlan = 4000 + i;
    fs.writeFileSync(file, freshPlane(vlan));
    const written = now();
    const refresh = await fetch(`${backend.baseUrl}/api/catalog/refresh`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${backend.benchToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ entityRef: `plane:${NS}/bench-fresh` }),
    });
    if (refresh.status >= 300) {
      throw new Error(`refresh answered ${refresh.status}`);
    }
    let servedAt = 0;
    let answeredAt = 0;
    const deadline = Date.now() + 120_000;
    while (!servedAt || !answeredAt) {
      if (Date.now() > deadline) {
        throw new Error(`change ${i} (vlan ${vlan}) not seen after 120 s`);
      }
      const [catalog, domain] = await Promise.all([
        servedAt
          ? undefined
          : getJson(
              `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=plane,metadata.name=bench-fresh,spec.network.vlan=${vlan}&limit=1&totalItems=exclude`,
              CI_TOKEN,
            ),
        answeredAt
          ? undefined
          : getJson(
              `${backend.baseUrl}/api/fabric-query/planes?vlan=${vlan}`,
              CI_TOKEN,
            ),
      ]);
      const t = now();
      if (catalog && catalog.body.items?.length) servedAt = t;
      if (domain && domain.body.items?.length) answeredAt = t;
      if (!servedAt || !answeredAt) await sleep(100);
    }
    lags.push(Math.max(0, answeredAt - servedAt) / 1000);
    totals.push((answeredAt - written) / 1000);
  }
  log(
    `freshness: lag after the catalog served the change, p95 ${percentile(
      lags,
      95,
    ).toFixed(1)} s`,
  );
  return {
    changes,
    lagP50: percentile(lags, 50),
    lagP95: percentile(lags, 95),
    totalP95: percentile(totals, 95),
  };
}

/** Resident memory of a process in MiB (from /proc), or undefined. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export function freshnessFigures(db: string, f: Freshness): Figure[] {
  return [
    goalFigure(
      {
        part: 'catalog-queries',
        name: `domain API freshness: catalog serves a change -> domain API answers it, p95 over ${f.changes} changes (${db})`,
        value: Math.round(f.lagP95 * 10) / 10,
        unit: 's',
        note: `p50 ${f.lagP50.toFixed(
          1,
        )} s; from writing the file (catalog processing and stitching included) p95 ${f.totalP95.toFixed(
          1,
        )} s`,
      },
      { op: '<=', bound: 10, unit: ' s' },
    ),
  ];
}

/**
 * The same by-query load once more after switching the catalog's SQLite file to WAL and
 * running ANALYZE on it (bench/lib/sqliteTuning.mts): the "before" is the default run.
 */
export async function tunedByQuery(
  backend: BenchBackend,
  options: BenchOptions,
  paths: Array<() => string>,
): Promise<{ tuning: SqliteTuning; queries: QueryResult }> {
  const tuning = await tuneCatalogSqlite(backend.sqliteDirectory!);
  log(
    `SQLite catalog: journal ${tuning.journalModeBefore} -> ${
      tuning.journalModeAfter
    }, ANALYZE ${tuning.analyzeSeconds.toFixed(1)} s`,
  );
  const queries = await queryLoad(backend, options, paths);
  return {
    tuning,
    queries: {
      ...queries,
      variant: `journal ${tuning.journalModeAfter} + ANALYZE`,
    },
  };
}

/**
 * Memory with and without the read model, measured alike: a backend restarted on the same
 * SQLite files (so neither holds the ingestion's heap), with the read model on or off
 * (`fabricQuery.enabled: false`), after the same by-query load (its figures are printed too).
 * With the read model on, the load starts once the read model answers for the whole batch.
 */
export async function restartedOnSameFiles(
  sqliteDirectory: string,
  options: BenchOptions,
  paths: Array<() => string>,
  readModel: { on: false } | { on: true; count: ReadModelCount },
): Promise<{ queries: QueryResult; rssMiB?: number }> {
  const backend = await startBackend({
    label: `fabric-sqlite-restarted-read-model-${readModel.on ? 'on' : 'off'}`,
    database: 'sqlite',
    sqliteDirectory,
    config: readModel.on ? undefined : { fabricQuery: { enabled: false } },
  });
  try {
    if (readModel.on) await waitForReadModel(backend, readModel.count);
    const queries = await queryLoad(backend, options, paths);
    return {
      queries: {
        ...queries,
        variant: `restarted, read model ${readModel.on ? 'on' : 'off'}`,
      },
      rssMiB: rssMiB(backend.child.pid),
    };
  } finally {
    await backend.stop();
  }
}

export function memoryFigures(
  db: string,
  afterLoads: number | undefined,
  restarted?: { on?: number; off?: number },
): Figure[] {
  const figures: Figure[] = [];
  if (afterLoads !== undefined) {
    figures.push({
      part: 'catalog-queries',
      name: `backend resident memory after ingestion and the by-query and domain loads, read model on (${db})`,
      value: afterLoads,
      unit: 'MiB',
      note: 'the backend that ingested the batch, so its heap holds what ingestion left; each replica keeps an in-memory copy of the read model',
    });
  }
  for (const on of [true, false]) {
    const value = on ? restarted?.on : restarted?.off;
    if (value === undefined) continue;
    figures.push({
      part: 'catalog-queries',
      name: `backend resident memory restarted on the same files, after the by-query load, read model ${
        on ? 'on' : 'off'
      } (${db})`,
      value,
      unit: 'MiB',
      note: on
        ? 'the same SQLite files, restarted as they are; compare with read model off below'
        : 'the same SQLite files, restarted with fabricQuery.enabled: false',
    });
  }
  return figures;
}
