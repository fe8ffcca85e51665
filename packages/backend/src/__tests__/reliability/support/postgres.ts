import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The PostgreSQL server of the test run (scripts/test.sh sets both variables; the default is the
 * local server that scripts/setup.sh starts).
 */
export const pgUrl = new URL(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    process.env.FABRIC_TEST_PG_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

/** The connection settings of `pgUrl` as backend config, optionally for one database. */
export function pgConnection(database?: string) {
  return {
    host: pgUrl.hostname,
    port: Number(pgUrl.port || 5432),
    user: decodeURIComponent(pgUrl.username || 'postgres'),
    password: decodeURIComponent(pgUrl.password || 'unused'),
    ...(database ? { database } : {}),
  };
}

export async function pgQuery<T = any>(
  sql: string,
  params: unknown[] = [],
  database?: string,
): Promise<T[]> {
  const client = new Client(pgConnection(database));
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A unique database prefix for one test file: the backend creates one database per plugin,
 * `<prefix><pluginId>`, and `drop()` removes all of them.
 */
export function pgDatabasePrefix(label: string) {
  const prefix = `fabric_${label}_${randomBytes(4).toString('hex')}_`;
  return {
    prefix,
    database: (pluginId: string) => `${prefix}${pluginId}`,
    async drop() {
      const dbs = await pgQuery<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${prefix}%`],
      );
      for (const { datname } of dbs) {
        await pgQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    },
  };
}

/**
 * `backend.database` of a test backend: the PostgreSQL of the test run with one database per
 * plugin `<prefix><pluginId>` and small pools (several backends and the rest of the run must fit
 * into the server's connection limit), or without a prefix an in-memory SQLite.
 */
export function backendDatabase(prefix?: string) {
  return prefix
    ? {
        client: 'pg',
        connection: pgConnection(),
        prefix,
        knexConfig: { pool: { min: 0, max: 4, idleTimeoutMillis: 5000 } },
      }
    : { client: 'better-sqlite3', connection: ':memory:' };
}
