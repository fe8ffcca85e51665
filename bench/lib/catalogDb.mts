// The catalog's own database as the bench reads it: a PostgreSQL client and the counting queries.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: any[] }>;
  end(): Promise<void>;
}

export function pgClient(database = 'postgres'): PgClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg');
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return new Client({ connectionString: url.toString() });
}

export async function pgAdmin(sql: string) {
  const client = pgClient();
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const QUEUE_SQL = {
  unprocessed:
    'SELECT COUNT(*) AS n FROM refresh_state WHERE processed_entity IS NULL',
  stitchQueue: 'SELECT COUNT(*) AS n FROM stitch_queue',
  errored:
    "SELECT COUNT(*) AS n FROM refresh_state WHERE errors IS NOT NULL AND errors <> '' AND errors <> '[]'",
  total: 'SELECT COUNT(*) AS n FROM refresh_state',
};

// `entity_ref` is `kind:namespace/name`, lower case; the namespace is the caller's constant.
export const volumeSql = (namespace: string) => {
  const like = `'%:${namespace.toLowerCase().replace(/[^a-z0-9-]/g, '')}/%'`;
  return {
    entities: `SELECT COUNT(*) AS n FROM final_entities WHERE entity_ref LIKE ${like}`,
    searchRows: `SELECT COUNT(*) AS n FROM search s JOIN final_entities f ON f.entity_id = s.entity_id WHERE f.entity_ref LIKE ${like}`,
    relationRows: `SELECT COUNT(*) AS n FROM relations WHERE source_entity_ref LIKE ${like}`,
    finalEntityBytes: `SELECT COALESCE(SUM(LENGTH(final_entity)), 0) AS n FROM final_entities WHERE entity_ref LIKE ${like}`,
  };
};
