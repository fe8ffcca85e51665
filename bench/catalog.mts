// Parts 1 and 2: catalog ingestion (ours vs plain Components) and catalog queries.
//
// Ingestion: each catalog is registered as a `file` location (POST /api/catalog/locations with a
// bench-only static token) on a freshly booted backend with its own empty database, and timed
// until it is fully processed and stitched: every entity of the batch is served by the API,
// no refresh_state row is left unprocessed and the stitch queue is empty (read from the
// catalog's own database once a second).
//
// Queries: `GET /api/catalog/entities/by-query` with filters on our kinds and spec fields, 20
// concurrent connections (autocannon), on the SQLite backend holding the fabric catalog and on
// a PostgreSQL backend (fresh database, dropped afterwards) that ingests the same catalog.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type BenchOptions,
  type Figure,
  goalFigure,
  log,
  loadAverage,
  now,
  round,
} from './lib/common.mts';
import {
  type BenchBackend,
  type CatalogVolume,
  startBackend,
} from './lib/backend.mts';
import {
  FABRIC_NAMESPACE,
  PLAIN_NAMESPACE,
  checkFabricEntities,
  fabricEntities,
  plainEntities,
  writeCatalog,
} from './lib/entities.mts';
import {
  type Freshness,
  domainPaths,
  freshness,
  freshnessFigures,
  memoryFigures,
  rssMiB,
  tunedByQuery,
  waitForReadModel,
  restartedOnSameFiles,
} from './domain.mts';
import { type QueryResult, queryLoad, queryPaths } from './lib/queryLoad.mts';
import { queryLoadFigures } from './lib/queryFigures.mts';
import { type IngestResult, ingest } from './lib/ingest.mts';
export { queryLoad, queryPaths };

export async function catalogParts(options: BenchOptions) {
  const total = options.quick ? 1000 : 10_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-bench-catalog-'));
  const figures: Figure[] = [];
  const queryFigures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const started = now();
  // Where the part's time goes, phase by phase (printed in the log and kept in the details).
  const phases: Array<{ phase: string; seconds: number }> = [];
  async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = now();
    try {
      return await fn();
    } finally {
      const seconds = round((now() - t0) / 1000, 1);
      phases.push({ phase: name, seconds });
      log(`phase ${name}: ${seconds} s`);
    }
  }
  details.phases = phases;
  try {
    const fabric = fabricEntities(total);
    const problems = checkFabricEntities(fabric);
    if (problems.length) {
      throw new Error(
        `generated fabric entities do not validate:\n${problems
          .slice(0, 5)
          .join('\n')}`,
      );
    }
    const plain = plainEntities(total);
    const fabricLocation = writeCatalog(
      path.join(dir, 'fabric'),
      'bench-fabric-catalog',
      FABRIC_NAMESPACE,
      fabric,
    );
    const plainLocation = writeCatalog(
      path.join(dir, 'plain'),
      'bench-plain-catalog',
      PLAIN_NAMESPACE,
      plain,
    );
    const kinds: Record<string, number> = {};
    for (const e of fabric) {
      const k = e.kind === 'Component' ? 'Component (fabric service)' : e.kind;
      kinds[k] = (kinds[k] ?? 0) + 1;
    }
    details.fabricKinds = kinds;
    const count = {
      planes: fabric.filter(e => e.kind === 'Plane').length,
      services: fabric.filter(e => e.kind === 'Component').length,
      tenants: fabric.filter(e => e.kind === 'Tenant').length,
      rules: fabric.filter(e => e.kind === 'ZakonRule').length,
    };
    const changes = options.quick ? 10 : 50;
    // The domain query API on each backend: the same questions, its freshness, memory.
    const domain: Record<
      string,
      {
        queries?: QueryResult;
        freshness?: Freshness;
        readModelSeconds?: number;
        rssMiB?: number;
        /** Why the domain runs stopped (printed as a figure; the other runs go on). */
        error?: string;
      }
    > = { sqlite: {}, postgres: {} };
    /**
     * Waits until the read model holds the whole batch, before either query load: both loads
     * then run on the same settled backend, and neither pays for the read model's catch-up.
     */
    async function readModelComplete(backend: BenchBackend, label: string) {
      const d = domain[backend.database];
      try {
        d.readModelSeconds = await phase(`${label}: read model complete`, () =>
          waitForReadModel(backend, count),
        );
      } catch (error) {
        d.error = String(error);
        d.rssMiB ??= rssMiB(backend.child.pid);
        log(`${label}: read model incomplete: ${d.error}`);
      }
    }
    async function domainRuns(backend: BenchBackend, label: string) {
      const d = domain[backend.database];
      if (d.error) return;
      try {
        await domainRunsOf(backend, label, d);
      } catch (error) {
        d.error = String(error);
        d.rssMiB ??= rssMiB(backend.child.pid);
        log(`${label}: domain runs stopped: ${d.error}`);
      }
    }
    async function domainRunsOf(
      backend: BenchBackend,
      label: string,
      d: (typeof domain)[string],
    ) {
      d.queries = await phase(`${label}: domain queries`, () =>
        queryLoad(backend, options, domainPaths(count), 'domain'),
      );
      d.rssMiB = rssMiB(backend.child.pid);
      d.freshness = await phase(`${label}: freshness`, () =>
        freshness(backend, dir, changes),
      );
    }
    // Entities served per namespace: the generated ones plus their Location entity.
    const expected = total + 1;

    // Plain first, on its own fresh backend and database.
    const plainBackend = await phase('plain SQLite: boot', () =>
      startBackend({ label: 'ingest-plain-sqlite', database: 'sqlite' }),
    );
    let plainResult: IngestResult;
    try {
      plainResult = await phase('plain SQLite: settle + ingest', () =>
        ingest(plainBackend, plainLocation, PLAIN_NAMESPACE, expected),
      );
    } finally {
      await phase('plain SQLite: stop', () => plainBackend.stop());
    }
    log(`plain: ${plainResult.seconds.toFixed(1)} s`);

    // Ours on a fresh SQLite backend, which then serves the query benchmark.
    const sqliteDirectory = path.join(dir, 'sqlite-fabric');
    const fabricBackend = await phase('fabric SQLite: boot', () =>
      startBackend({
        label: 'ingest-fabric-sqlite',
        database: 'sqlite',
        sqliteDirectory,
      }),
    );
    let fabricResult: IngestResult;
    let sqliteQueries: QueryResult | undefined;
    let sqliteTuned: QueryResult | undefined;
    try {
      fabricResult = await phase('fabric SQLite: settle + ingest', () =>
        ingest(fabricBackend, fabricLocation, FABRIC_NAMESPACE, expected),
      );
      log(`fabric: ${fabricResult.seconds.toFixed(1)} s`);
      await readModelComplete(fabricBackend, 'fabric SQLite');
      log(`queries on SQLite (load ${loadAverage()})`);
      sqliteQueries = await phase('fabric SQLite: queries', () =>
        queryLoad(fabricBackend, options, queryPaths(count)),
      );
      await domainRuns(fabricBackend, 'fabric SQLite');
      sqliteTuned = await phase('fabric SQLite: WAL + ANALYZE, queries', () =>
        tunedByQuery(fabricBackend, options, queryPaths(count)),
      ).then(
        t => t.queries,
        e => void log(`WAL + ANALYZE run failed: ${e}`),
      );
    } finally {
      await phase('fabric SQLite: stop', () => fabricBackend.stop());
    }
    // Skipped when the read model never completed: the restart would wait for it as long again.
    const restartedOn = domain.sqlite.error
      ? undefined
      : await phase('fabric SQLite: restarted, read model on', () =>
          restartedOnSameFiles(sqliteDirectory, options, queryPaths(count), {
            on: true,
            count,
          }),
        ).catch(e => void log(`restarted read model on run failed: ${e}`));
    const noModel = await phase(
      'fabric SQLite: restarted, read model off',
      () =>
        restartedOnSameFiles(sqliteDirectory, options, queryPaths(count), {
          on: false,
        }),
    ).catch(e => void log(`read model off run failed: ${e}`));

    // PostgreSQL: fresh database, the same fabric catalog, then the same query load.
    let pgIngest: IngestResult | undefined;
    let pgQueries: QueryResult | undefined;
    let pgError: string | undefined;
    let pgMaintenance: string | undefined;
    try {
      const pgBackend = await phase('fabric PostgreSQL: boot', () =>
        startBackend({ label: 'ingest-fabric-postgres', database: 'postgres' }),
      );
      try {
        pgIngest = await phase('fabric PostgreSQL: settle + ingest', () =>
          ingest(pgBackend, fabricLocation, FABRIC_NAMESPACE, expected),
        );
        log(`fabric on PostgreSQL: ${pgIngest.seconds.toFixed(1)} s`);
        pgMaintenance = await phase('fabric PostgreSQL: maintenance', () =>
          pgBackend.catalogMaintenance(),
        );
        if (pgMaintenance) log(`PostgreSQL: ${pgMaintenance}`);
        await readModelComplete(pgBackend, 'fabric PostgreSQL');
        log(`queries on PostgreSQL (load ${loadAverage()})`);
        pgQueries = await phase('fabric PostgreSQL: queries', () =>
          queryLoad(pgBackend, options, queryPaths(count)),
        );
        await domainRuns(pgBackend, 'fabric PostgreSQL');
      } finally {
        await phase('fabric PostgreSQL: stop', () => pgBackend.stop());
      }
    } catch (error) {
      pgError = String(error);
      log(`PostgreSQL part failed: ${pgError}`);
    }

    const ratio = fabricResult.seconds / plainResult.seconds;
    // Context for the ratio: the catalog's writes grow with the rows it stores per entity
    // (one search row per filterable value, one per relation), whoever's processor runs.
    const rowsOf = (v: CatalogVolume) => v.searchRows + v.relationRows;
    const perEntity = (v: CatalogVolume) =>
      `${(v.searchRows / v.entities).toFixed(1)} search + ${(
        v.relationRows / v.entities
      ).toFixed(1)} relation rows and ${Math.round(
        v.finalEntityBytes / v.entities,
      )} bytes of stitched JSON per entity`;
    figures.push(
      {
        part: 'catalog-ingestion',
        name: `plain Components: ${total} registered -> processed + stitched (SQLite)`,
        value: round(plainResult.seconds, 1),
        unit: 's',
        note: `${plainResult.entitiesPerSecond.toFixed(0)} entities/s`,
      },
      {
        part: 'catalog-ingestion',
        name: `fabric kinds: ${total} registered -> processed + stitched (SQLite)`,
        value: round(fabricResult.seconds, 1),
        unit: 's',
        note: `${fabricResult.entitiesPerSecond.toFixed(0)} entities/s; ${
          fabricResult.errored
        } with processing errors`,
      },
      goalFigure(
        {
          part: 'catalog-ingestion',
          name: 'ingestion time ratio fabric / plain (SQLite)',
          value: round(ratio, 2),
          unit: 'x',
        },
        { op: '<=', bound: 1.2, unit: 'x' },
      ),
      {
        part: 'catalog-ingestion',
        name: 'rows the catalog stored, fabric / plain (search + relations, SQLite)',
        value: round(
          rowsOf(fabricResult.volume) / rowsOf(plainResult.volume),
          2,
        ),
        unit: 'x',
        note: `context for the ratio above, not a goal: fabric ${perEntity(
          fabricResult.volume,
        )}; plain ${perEntity(
          plainResult.volume,
        )}; time per stored row, fabric / plain ${round(
          fabricResult.seconds /
            rowsOf(fabricResult.volume) /
            (plainResult.seconds / rowsOf(plainResult.volume)),
          2,
        )}`,
      },
      {
        part: 'catalog-ingestion',
        name: 'fabric entities with processing errors',
        value: fabricResult.errored,
        unit: 'entities',
        goal: '0',
        met: fabricResult.errored === 0,
      },
    );
    if (pgIngest) {
      figures.push({
        part: 'catalog-ingestion',
        name: `fabric kinds: ${total} registered -> processed + stitched (PostgreSQL)`,
        value: round(pgIngest.seconds, 1),
        unit: 's',
        note: `${pgIngest.entitiesPerSecond.toFixed(0)} entities/s; ${
          pgIngest.errored
        } with processing errors`,
      });
    }
    for (const q of [
      sqliteQueries,
      sqliteTuned,
      restartedOn?.queries,
      noModel?.queries,
      domain.sqlite.queries,
      pgQueries,
      domain.postgres.queries,
    ]) {
      if (q) {
        queryFigures.push(
          ...queryLoadFigures(
            q,
            total,
            q.database === 'postgres' ? pgMaintenance : undefined,
          ),
        );
      }
    }
    for (const [database, upstream] of [
      ['sqlite', sqliteQueries],
      ['postgres', pgQueries],
    ] as const) {
      const d = domain[database];
      const db = database === 'postgres' ? 'PostgreSQL' : 'SQLite';
      if (d.queries && upstream) {
        queryFigures.push(
          goalFigure(
            {
              part: 'catalog-queries',
              name: `domain API throughput / by-query throughput, the same seven questions (${db})`,
              value: round(d.queries.rps / Math.max(upstream.rps, 0.01), 1),
              unit: 'x',
              note: `${d.queries.rps.toFixed(0)} vs ${upstream.rps.toFixed(
                0,
              )} answers/s; read model complete ${d.readModelSeconds?.toFixed(
                0,
              )} s after the catalog had stitched the batch`,
            },
            { op: '>=', bound: 20, unit: 'x' },
          ),
        );
      }
      if (d.freshness) queryFigures.push(...freshnessFigures(db, d.freshness));
      if (d.error) {
        queryFigures.push({
          part: 'catalog-queries',
          name: `domain API (${db})`,
          value: null,
          unit: '',
          note: `failed: ${d.error.slice(0, 300)}`,
        });
      }
      queryFigures.push(
        ...memoryFigures(
          db,
          d.rssMiB,
          database === 'sqlite'
            ? { on: restartedOn?.rssMiB, off: noModel?.rssMiB }
            : undefined,
        ),
      );
    }
    if (pgError) {
      queryFigures.push({
        part: 'catalog-queries',
        name: 'PostgreSQL',
        value: null,
        unit: '',
        note: `failed: ${pgError.slice(0, 300)}`,
      });
    }
    Object.assign(details, {
      plain: plainResult,
      fabric: fabricResult,
      fabricPostgres: pgIngest,
      postgresMaintenance: pgMaintenance ?? 'none needed (autovacuum on)',
      queries: {
        sqlite: sqliteQueries,
        sqliteTuned,
        sqliteRestartedModelOn: restartedOn?.queries,
        sqliteNoModel: noModel?.queries,
        postgres: pgQueries,
      },
      domain,
      queryScenarios: queryPaths(count).map(p => p()),
      domainScenarios: domainPaths(count).map(p => p()),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    ingestion: {
      part: 'catalog-ingestion',
      figures,
      details,
      seconds: (now() - started) / 1000,
    },
    queries: {
      part: 'catalog-queries',
      figures: queryFigures,
      seconds: 0,
    },
  };
}
