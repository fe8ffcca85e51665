// What upstream's catalog on the SQLite default could gain from two settings it does not make
// itself: write-ahead logging (readers no longer wait for the processing loop's writes) and
// ANALYZE (the query planner gets statistics of the ingested tables instead of none). The
// bench applies both to a running backend's catalog file from outside and measures the same
// query load before and after; both are printed, and the portal keeps them only if they help.
import { createRequire } from 'node:module';
import path from 'node:path';
import { now, sleep } from './common.mts';

const require = createRequire(import.meta.url);

export interface SqliteTuning {
  journalModeBefore: string;
  journalModeAfter: string;
  analyzeSeconds: number;
}

/** Switches the catalog's SQLite file to WAL and runs ANALYZE on it. */
export async function tuneCatalogSqlite(
  sqliteDirectory: string,
): Promise<SqliteTuning> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sqlite = require('better-sqlite3');
  const db = new Sqlite(path.join(sqliteDirectory, 'catalog.sqlite'), {
    fileMustExist: true,
    timeout: 30_000,
  });
  try {
    const journalModeBefore = String(
      db.pragma('journal_mode', { simple: true }),
    );
    // The switch needs a moment with no transaction open on the backend's connection.
    let journalModeAfter = journalModeBefore;
    for (let i = 0; i < 20 && journalModeAfter !== 'wal'; i++) {
      try {
        journalModeAfter = String(
          db.pragma('journal_mode = WAL', { simple: true }),
        );
      } catch {
        await sleep(500);
      }
    }
    const started = now();
    db.exec('ANALYZE');
    return {
      journalModeBefore,
      journalModeAfter,
      analyzeSeconds: (now() - started) / 1000,
    };
  } finally {
    db.close();
  }
}
