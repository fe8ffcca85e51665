// Local driver (not part of the suite): the domain-API half of the catalog part on one SQLite
// backend, without the plain ingestion and PostgreSQL, for a loaded machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queryLoad, queryPaths } from './catalog.mts';
import { ingest } from './lib/ingest.mts';
import { domainPaths, freshness, rssMiB, waitForReadModel } from './domain.mts';
import { startBackend } from './lib/backend.mts';
import { log, sleep } from './lib/common.mts';
import {
  FABRIC_NAMESPACE,
  fabricEntities,
  writeCatalog,
} from './lib/entities.mts';

async function main() {
  // FABRIC_BENCH_IDLE_PROFILE_SECONDS: profile the settled backend with no request for that
  // long (SIGUSR2: the CPU profile and/or SQL timing of bench/lib/backend-main.mts).
  const idleProfileSeconds = Number(
    process.env.FABRIC_BENCH_IDLE_PROFILE_SECONDS ?? 0,
  );
  // Without a handler (neither folder set) SIGUSR2 would end the backend.
  if (
    idleProfileSeconds > 0 &&
    !process.env.FABRIC_BENCH_CPU_PROFILE_DIR &&
    !process.env.FABRIC_BENCH_SQL_PROFILE_DIR
  ) {
    throw new Error(
      'FABRIC_BENCH_IDLE_PROFILE_SECONDS needs FABRIC_BENCH_CPU_PROFILE_DIR and/or FABRIC_BENCH_SQL_PROFILE_DIR',
    );
  }
  const total = Number(process.argv[2] ?? 1000);
  const changes = Number(process.argv[3] ?? 10);
  const database = (process.argv[4] ?? 'sqlite') as 'sqlite' | 'postgres';
  const options = { quick: true, only: [], rebuildApp: false };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-bench-domain-'));
  const fabric = fabricEntities(total);
  const count = {
    planes: fabric.filter(e => e.kind === 'Plane').length,
    services: fabric.filter(e => e.kind === 'Component').length,
    tenants: fabric.filter(e => e.kind === 'Tenant').length,
    rules: fabric.filter(e => e.kind === 'ZakonRule').length,
  };
  const location = writeCatalog(
    path.join(dir, 'fabric'),
    'bench-fabric-catalog',
    FABRIC_NAMESPACE,
    fabric,
  );
  const backend = await startBackend({ label: `domain-${database}`, database });
  try {
    const ingested = await ingest(
      backend,
      location,
      FABRIC_NAMESPACE,
      total + 1,
    );
    log(`ingested in ${ingested.seconds.toFixed(0)} s`);
    const readModelSeconds = await waitForReadModel(backend, count);
    if (idleProfileSeconds > 0) {
      backend.child.kill('SIGUSR2');
      await sleep(idleProfileSeconds * 1000);
      backend.child.kill('SIGUSR2');
      await sleep(2000);
      log(`idle profile of ${idleProfileSeconds} s written`);
    }
    const upstream = await queryLoad(backend, options, queryPaths(count));
    const domain = await queryLoad(
      backend,
      options,
      domainPaths(count),
      'domain',
    );
    const rss = rssMiB(backend.child.pid);
    const pick = (q: typeof upstream) => ({
      api: q.api,
      rps: q.rps,
      p50: q.p50,
      p95: q.p95,
      p99: q.p99,
      ok: q.ok,
      non2xx: q.non2xx,
      errors: q.errors,
      serialMedian: q.serial.medianMs,
      serialScenarios: q.serial.scenarios,
      idleCpu: q.idleCpuShare,
      loadCpu: q.loadCpuShare,
      scenarios: q.scenarios,
    });
    console.log(
      JSON.stringify(
        {
          total,
          database,
          readModelSeconds,
          upstream: pick(upstream),
          domain: pick(domain),
          rssMiB: rss,
        },
        null,
        2,
      ),
    );
    const fresh = await freshness(backend, dir, changes);
    console.log(
      JSON.stringify(
        {
          total,
          database,
          readModelSeconds,
          upstream: pick(upstream),
          domain: pick(domain),
          rssMiB: rss,
          freshness: fresh,
        },
        null,
        2,
      ),
    );
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
