// The query half of the catalog part: the same questions asked under load (autocannon, 20
// connections) through upstream's by-query endpoint or through the domain query API.
import autocannon from 'autocannon';
import {
  type BenchOptions,
  cpuSeconds,
  now,
  percentile,
  round,
  sleep,
} from './common.mts';
import { type BenchBackend, CI_TOKEN, getJson } from './backend.mts';
import { FABRIC_NAMESPACE } from './entities.mts';

export interface QueryResult {
  database: string;
  /** Which endpoint was asked: upstream's by-query or the domain query API. */
  api: 'by-query' | 'domain';
  /** What differs from the default backend (e.g. SQLite in WAL mode), for the figure's name. */
  variant?: string;
  /** Requests sent during the measured run. */
  sent: number;
  /** Answered with a 2xx status. */
  ok: number;
  /** Answered with another status. */
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** No answer within the per-request timeout. */
  timeouts: number;
  /** Still waiting for an answer when the run ended (not in the percentiles). */
  unanswered: number;
  rps: number;
  /** Percentiles over every answered or failed request; a failure counts as slowest. */
  p50: number;
  p95: number;
  p99: number;
  /** The same over the 2xx answers only (for comparison with older figures). */
  okP95: number;
  durationSeconds: number;
  timeoutSeconds: number;
  connections: number;
  /** p50/p95 and count of 2xx answers per scenario. */
  scenarios: Record<string, { ok: number; p50: number; p95: number }>;
  /**
   * Each scenario asked by one client at a time before the load: what a query costs on its
   * own, with nothing queued in front of it (median over all of them, and per scenario).
   */
  serial: { medianMs: number; scenarios: Record<string, number> };
  /** Backend CPU (share of one core) over 5 s with no request: the catalog's own work. */
  idleCpuShare?: number;
  /** Backend CPU (share of one core) during the measured load. */
  loadCpuShare?: number;
}

export function queryPaths(count: { planes: number; services: number }) {
  const pick = (n: number) =>
    String(Math.floor(Math.random() * n)).padStart(5, '0');
  // What upstream offers its own endpoint where it helps: no count (`totalItems=exclude`, CI
  // shows none) and no ordering (none is needed; an ordered query with selective filters walks
  // the name index, the slow case upstream's own query battery lists).
  const q = (filter: string) =>
    `/api/catalog/entities/by-query?${filter}&limit=20&totalItems=exclude`;
  return [
    () => q('filter=kind=plane,spec.type=network'),
    () =>
      q(
        `filter=kind=component,spec.type=service,spec.fabric.plane=plane-${pick(
          Math.min(count.planes, 7),
        )}`,
      ),
    () => q('filter=kind=tenant,spec.consumers.provider=postgres'),
    () =>
      q(
        'filter=kind=tenant,spec.environments=resource:default/samakia-prod,spec.owner=group:default/team-birds',
      ),
    () => q('filter=kind=zakonrule,spec.status=active'),
    () =>
      q(
        `filter=kind=component,spec.fabric.haTier=tier-1,spec.fabric.environment=resource:default/samakia-prod,metadata.namespace=${FABRIC_NAMESPACE}`,
      ),
    () =>
      q(
        `filter=kind=component,metadata.name=svc-${pick(
          count.services,
        )},metadata.namespace=${FABRIC_NAMESPACE}`,
      ),
  ];
}

/** The scenario of a query path: its filter (or question) with the random parts masked. */
function scenarioOf(requestPath: string) {
  const [pathname, search] = requestPath.split('?');
  const filter = new URLSearchParams(search).get('filter');
  const scenario = filter ?? `${pathname.split('/').pop()}?${search}`;
  return scenario.replace(/-\d{5}\b/g, '-N').replace(/&limit=20$/, '');
}

export async function queryLoad(
  backend: BenchBackend,
  options: BenchOptions,
  paths: Array<() => string>,
  api: QueryResult['api'] = 'by-query',
): Promise<QueryResult> {
  // Every scenario answers 200 with items before the load starts.
  for (const p of paths) {
    const { status, body } = await getJson(
      `${backend.baseUrl}${p()}`,
      CI_TOKEN,
    );
    if (status !== 200 || !Array.isArray(body.items)) {
      throw new Error(`query ${p()} answered ${status}`);
    }
  }
  // Context for the percentiles: the catalog's refresh loop runs in the same process (what it
  // costs with no request at all), and what each query costs with nothing queued before it.
  const pid = backend.child.pid;
  const idleBefore = cpuSeconds(pid);
  await sleep(5000);
  const idleAfter = cpuSeconds(pid);
  const idleCpuShare =
    idleBefore === undefined || idleAfter === undefined
      ? undefined
      : (idleAfter - idleBefore) / 5;
  const serialAll: number[] = [];
  const serialScenarios: Record<string, number> = {};
  for (const p of paths) {
    const times: number[] = [];
    for (let i = 0; i < (options.quick ? 2 : 5); i++) {
      const requestPath = p();
      const t0 = now();
      const { status } = await getJson(
        `${backend.baseUrl}${requestPath}`,
        CI_TOKEN,
      );
      if (status !== 200) {
        throw new Error(`query ${requestPath} answered ${status}`);
      }
      times.push(now() - t0);
    }
    serialScenarios[scenarioOf(p())] = round(percentile(times, 50), 1);
    serialAll.push(...times);
  }
  const connections = 20;
  const duration = options.quick ? 5 : 30;
  const timeoutSeconds = 10;
  const headers = { authorization: `Bearer ${CI_TOKEN}` };
  // Warm-up, not recorded.
  await autocannon({
    url: backend.baseUrl,
    connections: 5,
    duration: options.quick ? 2 : 5,
    timeout: timeoutSeconds,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: any) => {
          req.path = paths[Math.floor(Math.random() * paths.length)]();
          return req;
        },
      },
    ],
  });
  // Every request sent is accounted for: a 2xx answer with its latency, or a failure (other
  // status, connection error or timeout) that counts as slowest in the percentiles. Requests
  // still in flight when the run ends (one per busy connection) are counted and printed.
  const samples: number[] = [];
  const perScenario = new Map<string, number[]>();
  // autocannon builds each request right before sending it, with a fresh context object that
  // stays the client's current one until its answer arrives.
  const pending = new Set<{ path?: string }>();
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let reqErrors = 0;
  const loadCpuBefore = cpuSeconds(pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: backend.baseUrl,
        connections,
        duration,
        timeout: timeoutSeconds,
        headers,
        requests: [
          {
            method: 'GET',
            setupRequest: (req: any, context: any) => {
              req.path = paths[Math.floor(Math.random() * paths.length)]();
              sent++;
              context.path = req.path;
              pending.add(context);
              return req;
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (client: any, status, _bytes, ms) => {
      const context = client?.requestIterator?.context;
      pending.delete(context);
      if (status >= 200 && status < 300) {
        ok++;
        samples.push(ms);
        const key = context?.path ? scenarioOf(context.path) : 'unknown';
        if (!perScenario.has(key)) perScenario.set(key, []);
        perScenario.get(key)!.push(ms);
      } else {
        non2xx++;
      }
    });
    instance.on('reqError', () => {
      reqErrors++;
    });
  });
  const loadCpuAfter = cpuSeconds(pid);
  const unanswered = Math.max(0, pending.size - reqErrors);
  const failures = non2xx + reqErrors;
  const all = [...samples, ...Array(failures).fill(Infinity)];
  const scenarios: QueryResult['scenarios'] = {};
  for (const [key, values] of perScenario) {
    scenarios[key] = {
      ok: values.length,
      p50: round(percentile(values, 50), 1),
      p95: round(percentile(values, 95), 1),
    };
  }
  return {
    database: backend.database,
    api,
    sent,
    ok,
    non2xx,
    errors: reqErrors,
    timeouts: result.timeouts,
    unanswered,
    rps: ok / duration,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    okP95: percentile(samples, 95),
    durationSeconds: duration,
    timeoutSeconds,
    connections,
    scenarios,
    serial: {
      medianMs: round(percentile(serialAll, 50), 1),
      scenarios: serialScenarios,
    },
    idleCpuShare,
    loadCpuShare:
      loadCpuBefore === undefined || loadCpuAfter === undefined
        ? undefined
        : (loadCpuAfter - loadCpuBefore) / duration,
  };
}
