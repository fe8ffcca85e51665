// Local driver (not part of the suite): CPU time per domain question, measured where load from
// other processes does not distort it (process.cpuUsage of this process around many answers),
// for the read model's tables (EntityStore.find, one SQL query) and for the in-memory index
// every replica answers from (ReadModelIndex). Usage:
//   node --expose-gc bench/domain-cpu.mts [entities=10000] [sqlite|postgres] [rounds=200]
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { loadAverage, log, requireRepo } from './lib/common.mts';
import { POSTGRES_URL, pgAdmin } from './lib/catalogDb.mts';
import { domainPaths } from './domain.mts';
import { fabricEntities } from './lib/entities.mts';

const require = createRequire(import.meta.url);
const PLUGIN = 'plugins/fabric-query-backend/src';
type Questions =
  typeof import('../plugins/fabric-query-backend/src/service/questions');
type Projection =
  typeof import('../plugins/fabric-query-backend/src/service/projection');
type ReadModelModule =
  typeof import('../plugins/fabric-query-backend/src/service/ReadModel');
type IndexModule =
  typeof import('../plugins/fabric-query-backend/src/service/ReadModelIndex');
type Migrations =
  typeof import('../plugins/fabric-query-backend/src/database/migrations');

async function main() {
  const total = Number(process.argv[2] ?? 10_000);
  const database = process.argv[3] ?? 'sqlite';
  const rounds = Number(process.argv[4] ?? 200);
  const { QUESTIONS } = requireRepo<Questions>(
    `${PLUGIN}/service/questions.ts`,
  );
  const { projectEntity } = requireRepo<Projection>(
    `${PLUGIN}/service/projection.ts`,
  );
  const { ReadModel } = requireRepo<ReadModelModule>(
    `${PLUGIN}/service/ReadModel.ts`,
  );
  const { ReadModelIndex } = requireRepo<IndexModule>(
    `${PLUGIN}/service/ReadModelIndex.ts`,
  );
  const { applyMigrations } = requireRepo<Migrations>(
    `${PLUGIN}/database/migrations.ts`,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knexFactory = require('knex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-bench-cpu-'));
  const pgName = `fabric_bench_cpu_${crypto.randomBytes(4).toString('hex')}`;
  if (database === 'postgres') await pgAdmin(`CREATE DATABASE ${pgName}`);
  const pgUrl = new URL(POSTGRES_URL);
  pgUrl.pathname = `/${pgName}`;
  const db =
    database === 'postgres'
      ? knexFactory({ client: 'pg', connection: pgUrl.toString() })
      : knexFactory({
          client: 'better-sqlite3',
          connection: { filename: path.join(dir, 'query.sqlite') },
          useNullAsDefault: true,
        });
  try {
    await applyMigrations(db);
    const readModel = new ReadModel(db);
    const entities = fabricEntities(total);
    const count = {
      planes: entities.filter(e => e.kind === 'Plane').length,
      services: entities.filter(e => e.kind === 'Component').length,
    };
    await readModel.apply(
      entities.map(e => projectEntity(e)),
      [],
    );
    // Statistics as autovacuum would leave them after the load (the machine's server may run
    // without it; with none, PostgreSQL plans the fact joins as if each matched one row).
    await db.raw('ANALYZE');
    const index = new ReadModelIndex(readModel, { maxAgeMs: 3_600_000 });
    // Run with --expose-gc for the heap the index holds (measured after a collection).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const loadStart = process.cpuUsage();
    await index.refresh();
    const loadCpu = process.cpuUsage(loadStart);
    gc?.();
    const heapIndex = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    log(
      `${database}: ${total} entities stored; index loaded in ${(
        (loadCpu.user + loadCpu.system) /
        1000
      ).toFixed(0)} ms CPU; ${
        gc
          ? `it holds ${heapIndex.toFixed(1)} MiB of heap`
          : 'heap not measured'
      }`,
    );
    const paths = domainPaths(count);
    const parse = (p: string) => {
      const url = new URL(p, 'http://x');
      const q = QUESTIONS.find(
        x => `/api/fabric-query${x.path}` === url.pathname,
      )!;
      const params = q.schema.parse(Object.fromEntries(url.searchParams));
      return { ...q.toQuery(params), withEntity: false };
    };
    const result: Record<string, Record<string, number>> = {};
    for (const [name, answer] of [
      ['tables (one SQL query)', (q: any) => readModel.entities.find(q)],
      ['in-memory index', (q: any) => index.find(q)],
    ] as const) {
      for (const [i, p] of paths.entries()) {
        const scenario = `q${i + 1} ${p().split('?')[0].split('/').pop()}`;
        const queries = Array.from({ length: rounds }, () => parse(p()));
        const items = (await answer(queries[0])).length;
        const start = process.cpuUsage();
        for (const q of queries) await answer(q);
        const used = process.cpuUsage(start);
        const perQuestionMs = (used.user + used.system) / 1000 / rounds;
        (result[name] ??= {})[`${scenario} (${items} items)`] =
          Math.round(perQuestionMs * 1000) / 1000;
      }
    }
    console.log(
      JSON.stringify(
        {
          total,
          database,
          rounds,
          load: loadAverage(),
          note: 'ms of CPU of this process per question (parse excluded), the database server excluded',
          result,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.destroy();
    if (database === 'postgres') await pgAdmin(`DROP DATABASE ${pgName}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
