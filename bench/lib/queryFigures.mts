// The figures of one query load (bench/lib/queryLoad.mts): percentiles with failures counted
// as slowest, the one-client-at-a-time median and the backend's CPU around the load.
import { type Figure, goalFigure, round } from './common.mts';
import { type QueryResult } from './queryLoad.mts';

export function queryLoadFigures(
  q: QueryResult,
  total: number,
  /** What was done to the database after ingestion, if anything (PostgreSQL). */
  maintenance?: string,
): Figure[] {
  const label = `${q.api}${q.variant ? ` [${q.variant}]` : ''}`;
  const db = q.database === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const failed = q.non2xx + q.errors;
  const note = `${q.sent} requests sent in ${q.durationSeconds} s, ${
    q.ok
  } answered 2xx (${q.rps.toFixed(0)}/s), ${q.non2xx} non-2xx, ${
    q.errors
  } errors of which ${q.timeouts} timeouts (> ${q.timeoutSeconds} s), ${
    q.unanswered
  } still in flight at the end; failures count as slowest${
    maintenance ? `; ${maintenance}` : ''
  }${failed ? `; p95 of the 2xx answers alone ${round(q.okP95, 1)} ms` : ''}`;
  // A percentile that falls on a failed request has no latency: printed as missing, and a
  // goal it is read against is missed.
  const ms = (name: string, value: number, goal?: number): Figure => {
    const base = {
      part: 'catalog-queries',
      name: `${label} ${name}, ${q.connections} clients, ${total} entities (${db})`,
      value: Number.isFinite(value) ? round(value, 1) : null,
      unit: 'ms',
      ...(Number.isFinite(value)
        ? {}
        : {
            note: 'falls on a failed request (error, timeout or non-2xx)',
          }),
    };
    if (goal === undefined) return base;
    const figure = goalFigure(base, { op: '<=', bound: goal, unit: ' ms' });
    return Number.isFinite(value) ? figure : { ...figure, met: false };
  };
  return [
    ms('p50', q.p50),
    {
      ...ms('p95', q.p95, q.api === 'domain' ? 50 : 100),
      note,
    },
    ms('p99', q.p99),
    {
      part: 'catalog-queries',
      name: `${label} one client at a time, median of every scenario (${db})`,
      value: q.serial.medianMs,
      unit: 'ms',
      note: `median per scenario: ${Object.entries(q.serial.scenarios)
        .map(([scenario, value]) => `${scenario} ${value} ms`)
        .join('; ')}`,
    },
    {
      part: 'catalog-queries',
      name: `backend CPU with no request before the ${label} load, catalog refresh loop and read-model sync (${db})`,
      value:
        q.idleCpuShare === undefined ? null : Math.round(q.idleCpuShare * 100),
      unit: '%',
      note: `share of one core over 5 s before the load${
        q.loadCpuShare === undefined
          ? ''
          : `; during the load ${Math.round(q.loadCpuShare * 100)}%`
      }`,
    },
  ];
}
