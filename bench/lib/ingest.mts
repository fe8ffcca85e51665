// Registers a generated catalog file on a bench backend and times it until every entity is
// served and the catalog has nothing left to process or stitch (the catalog part's ingestion).
import {
  type BenchBackend,
  type CatalogVolume,
  CI_TOKEN,
  getJson,
} from './backend.mts';
import { loadAverage, log, now, sleep } from './common.mts';

export interface IngestResult {
  label: string;
  database: string;
  entities: number;
  seconds: number;
  entitiesPerSecond: number;
  servedAt: number;
  errored: number;
  bootSeconds: number;
  /** What the catalog stored for the batch: why one batch takes longer than another. */
  volume: CatalogVolume;
}

async function countInNamespace(backend: BenchBackend, namespace: string) {
  const { status, body } = await getJson(
    `${backend.baseUrl}/api/catalog/entities/by-query?filter=metadata.namespace=${namespace}&limit=1&fields=metadata.name`,
    CI_TOKEN,
  );
  if (status !== 200) throw new Error(`by-query answered ${status}`);
  return Number(body.totalItems);
}

/** Waits for the repo catalog so a registration does not race the initial ingestion. */
async function settle(backend: BenchBackend) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const q = await backend.catalogQueue().catch(() => undefined);
    if (q && q.total > 0 && q.unprocessed === 0 && q.stitchQueue === 0) return;
    await sleep(1000);
  }
  throw new Error(`${backend.label}: the repo catalog did not settle`);
}

/** Registers a catalog file as a `file` location with the bench token (201 or an error). */
export async function registerLocation(backend: BenchBackend, file: string) {
  const res = await fetch(`${backend.baseUrl}/api/catalog/locations`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${backend.benchToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ type: 'file', target: file }),
  });
  if (res.status !== 201) {
    throw new Error(
      `registering ${file} answered ${res.status}: ${await res.text()}`,
    );
  }
}

export async function ingest(
  backend: BenchBackend,
  locationFile: string,
  namespace: string,
  expected: number,
): Promise<IngestResult> {
  await settle(backend);
  const started = now();
  await registerLocation(backend, locationFile);

  let servedAt = 0;
  let lastLog = 0;
  const timeoutMs = 45 * 60_000;
  let failures = 0;
  for (;;) {
    let served: number;
    try {
      served = await countInNamespace(backend, namespace);
      failures = 0;
    } catch (error) {
      // A busy backend may drop a poll; a dead one ends the part.
      if (backend.exited() || ++failures > 30) throw error;
      log(
        `${backend.label}: poll failed (${error}; ${String(
          (error as any)?.cause ?? '',
        )}), retrying`,
      );
      await sleep(2000);
      continue;
    }
    if (served >= expected && !servedAt) servedAt = now() - started;
    const elapsed = now() - started;
    const logNow = Date.now() - lastLog > 15_000;
    // The database is read only for the progress line and once everything is served, so the
    // poll adds as little as possible to the catalog's own database traffic.
    if (served < expected && !logNow) {
      await sleep(1000);
      continue;
    }
    const queue = await backend.catalogQueue();
    if (logNow) {
      lastLog = Date.now();
      log(
        `${backend.label}: ${served}/${expected} served, ${
          queue.unprocessed
        } unprocessed, ${queue.stitchQueue} to stitch after ${(
          elapsed / 1000
        ).toFixed(0)} s (load ${loadAverage()})`,
      );
    }
    if (
      served >= expected &&
      queue.unprocessed === 0 &&
      queue.stitchQueue === 0
    ) {
      const seconds = elapsed / 1000;
      return {
        label: backend.label,
        database: backend.database,
        entities: expected,
        seconds,
        entitiesPerSecond: expected / seconds,
        servedAt: servedAt / 1000,
        errored: queue.errored,
        bootSeconds: backend.bootMs / 1000,
        volume: await backend.catalogVolume(namespace),
      };
    }
    if (elapsed > timeoutMs) {
      throw new Error(
        `${backend.label}: not done after ${
          timeoutMs / 60_000
        } min (${served}/${expected} served)`,
      );
    }
    await sleep(1000);
  }
}
