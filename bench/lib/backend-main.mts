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
  fs.mkdirSync(profileDir, { recursive: true });
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
// FABRIC_BENCH_SQL_PROFILE_DIR set, each SIGUSR2 (as for the CPU profile) starts or stops adding
// up the time better-sqlite3 spends on the event loop, by SQL text: preparing a statement (knex
// prepares on every query) and running it (`all`, `get`, `run`; `iterate` is not timed, nothing
// of ours uses it). Written to that folder on stop. With both variables set, the timing's own
// cost is in the CPU profile.
const sqlProfileDir = process.env.FABRIC_BENCH_SQL_PROFILE_DIR;
if (sqlProfileDir) {
  fs.mkdirSync(sqlProfileDir, { recursive: true });
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  let totals:
    | Map<string, { calls: number; ms: number; rows: number }>
    | undefined;
  let count = 0;
  const timed = (
    method: string,
    original: (...args: unknown[]) => unknown,
    sqlOf: (self: any, args: unknown[]) => string,
    rowsOf: (result: unknown) => number,
  ) =>
    function timedCall(this: unknown, ...args: unknown[]) {
      if (!totals) return original.apply(this, args);
      const t0 = process.hrtime.bigint();
      const result = original.apply(this, args);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const sql = String(sqlOf(this, args)).replace(/\s+/g, ' ').slice(0, 300);
      const key = `${method} ${sql}`;
      const entry = totals.get(key) ?? { calls: 0, ms: 0, rows: 0 };
      entry.calls += 1;
      entry.ms += ms;
      entry.rows += rowsOf(result);
      totals.set(key, entry);
      return result;
    };
  const source = (self: any) => self.source;
  statementProto.all = timed('all', statementProto.all, source, result =>
    Array.isArray(result) ? result.length : 0,
  );
  statementProto.get = timed('get', statementProto.get, source, result =>
    result === undefined ? 0 : 1,
  );
  statementProto.run = timed('run', statementProto.run, source, () => 0);
  Database.prototype.prepare = timed(
    'prepare',
    Database.prototype.prepare,
    (_self, args) => args[0] as string,
    () => 0,
  );
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
    const file = path.join(sqlProfileDir, `sql-${++count}.txt`);
    fs.writeFileSync(file, `${seconds.toFixed(1)} s\n${lines.join('\n')}\n`);
    process.stdout.write(`sql timing written: ${file}\n`);
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
