// Starts the real backend composition as a child process (bench/lib/backend-main.mts) on a free
// loopback port, with the repository's app-config.yaml plus a benchmark layer on top: loopback
// URLs, a fresh SQLite folder or a fresh PostgreSQL database, scratch folders, and one extra
// static token for the benchmark (random per run) that may register catalog locations.
// The load generator runs in the parent process, so it never shares an event loop with the
// server it measures.
import { type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';
import {
  freePort,
  log,
  now,
  repoRoot,
  stopChild,
  testUtils,
} from './common.mts';
import { QUEUE_SQL, pgAdmin, pgClient, volumeSql } from './catalogDb.mts';

const require = createRequire(import.meta.url);

/** The CI token of app-config.yaml (local default only; catalog read, gate read, ...). */
export const CI_TOKEN = testUtils().CI_TOKEN;
export { POSTGRES_URL } from './catalogDb.mts';

type Database = 'sqlite' | 'postgres';

export interface CatalogQueue {
  /** refresh_state rows never processed yet. */
  unprocessed: number;
  /** Entities waiting to be stitched. */
  stitchQueue: number;
  /** refresh_state rows whose last processing recorded errors. */
  errored: number;
  /** refresh_state rows in total. */
  total: number;
}

export interface BenchBackend {
  label: string;
  database: Database;
  /** PostgreSQL only: the fresh database of this backend (each plugin in its own schema). */
  pgDatabase?: string;
  baseUrl: string;
  /** Bench-only static token without access restrictions (location registration). */
  benchToken: string;
  tmpDir: string;
  logFile: string;
  bootMs: number;
  child: ChildProcess;
  /** Reads the catalog's processing and stitching queues straight from its database. */
  catalogQueue(): Promise<CatalogQueue>;
  /**
   * PostgreSQL only: when the server runs without autovacuum, does once what autovacuum does
   * after a bulk load (VACUUM and ANALYZE of the catalog's tables), so the planner reads
   * statistics of the catalog as ingested rather than of the empty tables of the migrations.
   * Returns what was done, for the record; undefined when nothing was needed.
   */
  catalogMaintenance(): Promise<string | undefined>;
  /** What the catalog stored for the entities of one namespace (read from its database). */
  catalogVolume(namespace: string): Promise<CatalogVolume>;
  /** SQLite only: the folder of the plugins' database files (`catalog.sqlite`, ...). */
  sqliteDirectory?: string;
  stop(): Promise<void>;
  /** Whether the backend process has exited. */
  exited(): boolean;
}

/** Rows and bytes the catalog wrote for the entities of one namespace. */
export interface CatalogVolume {
  entities: number;
  /** Rows of the `search` table (one per filterable value; what by-query filters on). */
  searchRows: number;
  /** Rows of the `relations` table whose source is in the namespace. */
  relationRows: number;
  /** Bytes of the stitched entities (`final_entities.final_entity`). */
  finalEntityBytes: number;
}

function readCiExternalAccess(): unknown[] {
  const appConfig = parseYaml(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return appConfig?.backend?.auth?.externalAccess ?? [];
}

const running = new Set<() => Promise<void>>();

/** Stops every backend this process started (on Ctrl-C or SIGTERM of the suite). */
export async function stopAllBackends() {
  await Promise.allSettled([...running].map(stop => stop()));
}

export async function startBackend(options: {
  label: string;
  database: Database;
  /**
   * SQLite only: the folder of the plugins' database files, kept when the backend stops (the
   * caller removes it), so a second backend can start on the same catalog. Default: a fresh
   * folder removed with the backend.
   */
  sqliteDirectory?: string;
  /** Top-level config keys added to the benchmark layer (e.g. `fabricQuery`). */
  config?: Record<string, unknown>;
}): Promise<BenchBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-bench-'));
  const benchToken = crypto.randomBytes(24).toString('hex');
  const sqliteDirectory =
    options.sqliteDirectory ?? path.join(tmpDir, 'sqlite');
  const pgDatabase =
    options.database === 'postgres'
      ? `fabric_bench_${process.pid}_${Date.now()}`
      : undefined;

  if (pgDatabase) {
    await pgAdmin(`CREATE DATABASE ${pgDatabase}`);
  }

  const databaseConfig = pgDatabase
    ? {
        client: 'pg',
        connection: {
          host: '127.0.0.1',
          port: 5432,
          user: 'postgres',
          database: pgDatabase,
        },
        // Every plugin in its own schema of the one fresh database, dropped afterwards.
        pluginDivisionMode: 'schema',
      }
    : {
        client: 'better-sqlite3',
        connection: { directory: sqliteDirectory },
      };

  const { configArgs, launchBackendProcess, loopbackConfig } = testUtils();
  let exited = false;
  const base = loopbackConfig({ port, dataDir: tmpDir });
  const override = {
    ...base,
    backend: {
      ...base.backend,
      cors: { origin: baseUrl },
      database: databaseConfig,
      auth: {
        externalAccess: [
          ...readCiExternalAccess(),
          {
            type: 'static',
            options: { token: benchToken, subject: 'fabric-bench' },
          },
        ],
      },
    },
    // FABRIC_BENCH_PROCESSING_INTERVAL_MINUTES: try a catalog processing interval other than
    // upstream's default (100-150 s), for a run of its own.
    ...(process.env.FABRIC_BENCH_PROCESSING_INTERVAL_MINUTES
      ? {
          catalog: {
            processingInterval: {
              minutes: Number(process.env.FABRIC_BENCH_PROCESSING_INTERVAL_MINUTES),
            },
          },
        }
      : {}),
    ...options.config,
    // The caller's `app` keys on top of the bench's own base URL.
    app: { ...(options.config?.app as object | undefined), baseUrl },
  };

  const logFile = path.join(tmpDir, 'backend.log');
  const entry = () => stop();
  running.add(entry);
  // The backend writes its log (one line per request, among others) straight into the file:
  // piped through this process, every line would cost the load generator's process CPU time
  // while it measures, and a full pipe would stall the backend's synchronous stdout writes.
  const started = now();
  let child: ChildProcess | undefined;
  const launched = launchBackendProcess({
    label: options.label,
    baseUrl,
    args: [
      path.join(repoRoot, 'bench/lib/backend-main.mts'),
      ...configArgs(tmpDir, ['app-config.yaml'], [override], 'bench'),
    ],
    cwd: path.join(repoRoot, 'packages/backend'),
    env: { ...process.env, NODE_ENV: 'development' },
    logFile,
    timeoutMs: 300_000,
    onSpawn: spawned => {
      child = spawned;
      log(
        `${options.label}: backend pid ${spawned.pid} on ${baseUrl} (${options.database})`,
      );
      spawned.once('exit', () => {
        exited = true;
      });
    },
  });

  let sqlite: any;
  /** Runs `SELECT ... AS n` queries on the catalog's database; returns each `n`. */
  const readCounts = async (
    queries: Record<string, string>,
  ): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    if (pgDatabase) {
      const client = pgClient(pgDatabase);
      await client.connect();
      try {
        await client.query('SET search_path TO catalog');
        for (const [key, sql] of Object.entries(queries)) {
          out[key] = Number((await client.query(sql)).rows[0].n);
        }
      } finally {
        await client.end();
      }
    } else {
      if (!sqlite) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Sqlite = require('better-sqlite3');
        sqlite = new Sqlite(path.join(sqliteDirectory, 'catalog.sqlite'), {
          readonly: true,
          fileMustExist: true,
          timeout: 10_000,
        });
      }
      for (const [key, sql] of Object.entries(queries)) {
        out[key] = Number(sqlite.prepare(sql).get().n);
      }
    }
    return out;
  };
  const catalogQueue = async () =>
    (await readCounts(QUEUE_SQL)) as unknown as CatalogQueue;
  const catalogVolume = async (namespace: string) =>
    (await readCounts(volumeSql(namespace))) as unknown as CatalogVolume;

  const catalogMaintenance = async () => {
    if (!pgDatabase) return undefined;
    const client = pgClient(pgDatabase);
    await client.connect();
    try {
      const { rows } = await client.query('SHOW autovacuum');
      if (rows[0]?.autovacuum === 'on') return undefined;
      const started = now();
      await client.query('SET search_path TO catalog');
      const tables = (
        await client.query(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'catalog' ORDER BY tablename",
        )
      ).rows.map(r => `"${r.tablename}"`);
      await client.query(`VACUUM (ANALYZE) ${tables.join(', ')}`);
      return `the server runs with autovacuum off: VACUUM (ANALYZE) of the ${
        tables.length
      } catalog tables after ingestion, as autovacuum would do (${(
        (now() - started) /
        1000
      ).toFixed(1)} s)`;
    } finally {
      await client.end();
    }
  };

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    running.delete(entry);
    try {
      sqlite?.close();
    } catch {
      // already closed
    }
    if (child) await stopChild(child);
    // Keep the backend's log beside the results (git-ignored) for a look after the run.
    try {
      const logs = path.join(repoRoot, 'bench/results/logs');
      fs.mkdirSync(logs, { recursive: true });
      fs.copyFileSync(logFile, path.join(logs, `${options.label}.log`));
    } catch {
      // no log written
    }
    if (pgDatabase) {
      await pgAdmin(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`).catch(
        e => log(`could not drop ${pgDatabase}: ${e}`),
      );
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  try {
    child = await launched;
  } catch (error) {
    await stop();
    throw error;
  }
  const bootMs = now() - started;
  const ready = child;
  ready.once('exit', (code, signal) => {
    if (!stopping) {
      log(
        `${options.label}: backend pid ${ready.pid} exited (${
          signal ?? code
        }); last log lines:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
      );
    }
  });
  log(`${options.label}: ready in ${(bootMs / 1000).toFixed(1)} s`);

  return {
    label: options.label,
    database: options.database,
    pgDatabase,
    baseUrl,
    benchToken,
    tmpDir,
    logFile,
    bootMs,
    child: ready,
    catalogQueue,
    catalogMaintenance,
    catalogVolume,
    sqliteDirectory: pgDatabase ? undefined : sqliteDirectory,
    stop,
    exited: () => exited,
  };
}

/** GET with a bearer token; JSON body. */
export async function getJson(
  url: string,
  token: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
