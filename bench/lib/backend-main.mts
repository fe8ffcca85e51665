// Child process of the benchmark suite: boots the real backend composition
// (packages/backend/src/backend.ts, createFabricBackend) with the `--config` files it is given.
// Started and stopped by bench/lib/backend.mts; the TypeScript of the backend and plugins is
// loaded through the Backstage CLI's node transform, as `yarn workspace backend start` does.
import fs from 'node:fs';
import inspector from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('@backstage/cli/config/nodeTransform.cjs');
const { createFabricBackend } =
  require('../../packages/backend/src/backend.ts') as typeof import('../../packages/backend/src/backend');

// Opt-in CPU profiling for bench/profile-gate.mts: with FABRIC_BENCH_CPU_PROFILE_DIR set, each
// SIGUSR2 starts or stops a V8 CPU profile of this process and writes it to that folder.
const profileDir = process.env.FABRIC_BENCH_CPU_PROFILE_DIR;
if (profileDir) {
  const session = new inspector.Session();
  session.connect();
  let profiling = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 250 }, () =>
          session.post('Profiler.start', () =>
            process.stdout.write('cpu profile started\n'),
          ),
        ),
      );
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu profile failed: ${error}\n`);
        return;
      }
      const file = path.join(profileDir, `backend-${++count}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
      process.stdout.write(`cpu profile written: ${file}\n`);
    });
  });
}

// Opt-in SQL timing (SQLite only) for finding what holds the event loop: with
// FABRIC_BENCH_SQL_PROFILE_DIR set, each SIGUSR2 (as for the CPU profile) starts or stops adding up the time of every
// better-sqlite3 statement by its SQL text, written to that folder on stop.
const sqlProfileDir = process.env.FABRIC_BENCH_SQL_PROFILE_DIR;
if (sqlProfileDir) {
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  let totals:
    | Map<string, { calls: number; ms: number; rows: number }>
    | undefined;
  let count = 0;
  for (const method of ['all', 'get', 'run', 'iterate'] as const) {
    const original = statementProto[method];
    statementProto[method] = function timed(
      this: { source: string },
      ...args: unknown[]
    ) {
      if (!totals) return original.apply(this, args);
      const t0 = process.hrtime.bigint();
      const result = original.apply(this, args);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const key = `${method} ${this.source.replace(/\s+/g, ' ').slice(0, 300)}`;
      const entry = totals.get(key) ?? { calls: 0, ms: 0, rows: 0 };
      entry.calls += 1;
      entry.ms += ms;
      entry.rows += Array.isArray(result) ? result.length : 0;
      totals.set(key, entry);
      return result;
    };
  }
  let started = 0;
  process.on('SIGUSR2', () => {
    if (!totals) {
      totals = new Map();
      started = Date.now();
      return;
    }
    const seconds = (Date.now() - started) / 1000;
    const lines = [...totals]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([sql, t]) =>
          `${t.ms.toFixed(0).padStart(8)} ms ${String(t.calls).padStart(
            7,
          )} calls ${String(t.rows).padStart(8)} rows  ${sql}`,
      );
    totals = undefined;
    fs.writeFileSync(
      path.join(sqlProfileDir, `sql-${++count}.txt`),
      `${seconds.toFixed(1)} s\n${lines.join('\n')}\n`,
    );
  });
}

const backend = createFabricBackend({ argv: process.argv });

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await backend.stop();
  } finally {
    process.exit(0);
  }
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

backend.start().catch(error => {
  process.stderr.write(
    `bench backend failed to start: ${
      error instanceof Error ? error.stack : error
    }\n`,
  );
  process.exit(1);
});
