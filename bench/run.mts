#!/usr/bin/env node
// The benchmark suite of the portal (README, "Benchmarks"): one command, `yarn bench`.
//
//   yarn bench [--quick] [--only catalog,gate,evidence,frontend,replicas,approvals] [--rebuild-app]
//
// Parts (each prints its figures next to its goal; performance is a printed figure, never a
// pass/fail test):
//   1. catalog ingestion: 10,000 entities of our kinds vs 10,000 plain Components, from location
//      registration to fully processed and stitched (goal: ours within 1.2x of plain)
//   2. catalog queries: the same seven questions through GET /api/catalog/entities/by-query
//      (goal: p95 <= 100 ms; SQLite also after WAL + ANALYZE and with the read model off) and
//      through the domain query API (goal: p95 <= 50 ms, >= 20x by-query's throughput), 20
//      concurrent clients, 10,000 entities, SQLite and PostgreSQL; freshness p95 over 50
//      changes (goal <= 10 s); backend memory with and without the read model (SQLite: a
//      restart on the same files each way, after the same by-query load)
//   3. gate API: requests/s and p99 at 50 connections vs the backend's health route in the
//      same run (goal: >= 50% of its requests/s, p99 <= 2x its p99); a bare server as context
//   4. evidence verification: bench/evidence-hash.mts, 1 GiB vs sha256sum (goal: >= 0.80)
//   5. frontend: JS shipped for the first catalog page and an entity page, and the entity
//      page's render time in headless Chromium
//   6. replicas: requests/s and p95 through HAProxy with 1 and with 3 replicas of the production
//      image on one PostgreSQL and one S3 server (bench/replicas.mts; a context figure on 2 cores)
//   7. approvals: the Approvals page with 5,000 proposals on PostgreSQL in headless Chromium,
//      first page and the "waiting for me" count on screen (goal: < 1 s; bench/approvals.mts)
// --quick shrinks every part (1,000 entities, 64 MiB packet, short load runs) for a smoke test.
// Results: bench/results/latest.json and bench/results/latest.md (git-ignored).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type BenchOptions,
  type Figure,
  type PartResult,
  benchDir,
  log,
  loadAverage,
  now,
  run,
} from './lib/common.mts';
import { startBackend, stopAllBackends } from './lib/backend.mts';
import { catalogParts } from './catalog.mts';
import { gatePart } from './gate.mts';
import { ensureAppBuild, frontendPart } from './frontend.mts';
import { replicasPart } from './replicas.mts';
import { approvalsPart } from './approvals.mts';

const PARTS = [
  'catalog',
  'gate',
  'evidence',
  'frontend',
  'replicas',
  'approvals',
] as const;

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    quick: false,
    only: [],
    rebuildApp: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--rebuild-app') options.rebuildApp = true;
    else if (arg === '--only') {
      options.only = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const part of options.only) {
        if (!(PARTS as ReadonlyArray<string>).includes(part)) {
          process.stderr.write(
            `bench: unknown part "${part}"; use ${PARTS.join(', ')}\n`,
          );
          process.exit(2);
        }
      }
    } else {
      process.stderr.write(
        `bench: unknown argument "${arg}"\nusage: yarn bench [--quick] [--only ${PARTS.join(
          ',',
        )}] [--rebuild-app]\n`,
      );
      process.exit(2);
    }
  }
  return options;
}

async function evidencePart(options: BenchOptions): Promise<PartResult> {
  const started = now();
  const args = options.quick
    ? ['--size-mib', '64', '--files', '8', '--runs', '1']
    : ['--size-mib', '1024', '--files', '16', '--runs', '2'];
  const out = await run(process.execPath, [
    path.join(benchDir, 'evidence-hash.mts'),
    ...args,
    '--json',
  ]);
  const lines = out.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1]);
  const mib = Math.round(result.bytes / 1024 / 1024);
  return {
    part: 'evidence',
    figures: [
      {
        part: 'evidence',
        name: `sha256sum over ${mib} MiB (${result.files} files)`,
        value: Math.round(result.sha256sumMBps),
        unit: 'MB/s',
      },
      {
        part: 'evidence',
        name: 'verifier: hash + secret scan, 1 file at a time',
        value: Math.round(result.verifierMBps),
        unit: 'MB/s',
      },
      {
        part: 'evidence',
        name: 'throughput ratio verifier / sha256sum',
        value: Math.round(result.ratio * 100) / 100,
        unit: '',
        goal: '>= 0.8',
        met: result.ratio >= 0.8,
        note: `best of ${result.runs}`,
      },
    ],
    details: { output: lines.slice(0, -1).join('\n'), ...result },
    seconds: (now() - started) / 1000,
  };
}

function formatValue(f: Figure) {
  if (f.value === null) return 'n/a';
  return `${f.value}${f.unit ? ` ${f.unit}` : ''}`.replace(' %', '%');
}

function mark(f: Figure) {
  if (!f.goal) return '';
  if (f.met === undefined) return '(goal not measured)';
  return f.met ? 'meets goal' : 'MISSES goal';
}

function textReport(results: PartResult[], meta: Record<string, unknown>) {
  const lines = [
    `Fabric Portal benchmarks (${meta.quick ? 'quick' : 'full'}) - ${
      meta.finishedAt
    }`,
    `machine: ${meta.cores} cores (os.cpus().length), ${meta.memoryGiB} GiB, Node ${meta.node}; load average before / after: ${meta.loadBefore} | ${meta.loadAfter}`,
    '',
  ];
  for (const part of results) {
    lines.push(`== ${part.part} (${part.seconds.toFixed(0)} s)`);
    if (part.error) lines.push(`   FAILED: ${part.error}`);
    for (const f of part.figures) {
      const goal = f.goal ? `goal ${f.goal}` : '';
      lines.push(
        `   ${f.name.padEnd(72)} ${formatValue(f).padStart(12)}  ${goal.padEnd(
          16,
        )} ${mark(f)}${f.note ? `\n      ${f.note}` : ''}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function markdownReport(results: PartResult[], meta: Record<string, unknown>) {
  const lines = [
    `# Fabric Portal benchmarks (${meta.quick ? 'quick' : 'full'})`,
    '',
    `${meta.finishedAt}; ${meta.cores} cores (os.cpus().length), ${meta.memoryGiB} GiB, Node ${meta.node}; load average (1/5/15 min) before: ${meta.loadBefore}, after: ${meta.loadAfter}.`,
    '',
    '| part | figure | value | goal | |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const part of results) {
    if (part.error) {
      lines.push(
        `| ${part.part} | FAILED | ${part.error.split('\n')[0]} | | |`,
      );
    }
    for (const f of part.figures) {
      lines.push(
        `| ${part.part} | ${f.name}${
          f.note ? ` (${f.note})` : ''
        } | ${formatValue(f)} | ${f.goal ?? ''} | ${mark(f)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const wants = (part: string) =>
    options.only.length === 0 || options.only.includes(part);
  const loadBefore = loadAverage();
  log(
    `${os.cpus().length} cores, load ${loadBefore}; ${
      options.quick ? 'quick' : 'full'
    } run`,
  );
  const results: PartResult[] = [];
  const meta = () => ({
    quick: options.quick,
    finishedAt: new Date().toISOString(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    loadBefore,
    loadAfter: loadAverage(),
  });
  const dir = path.join(benchDir, 'results');
  const save = (complete: boolean) => {
    const m = { ...meta(), complete };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'latest.json'),
      `${JSON.stringify({ ...m, results }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(dir, 'latest.md'), markdownReport(results, m));
    const text = textReport(results, m);
    fs.writeFileSync(path.join(dir, 'latest.txt'), text);
    return text;
  };
  // Interrupted: stop the backends this run started (dropping any PostgreSQL database) and
  // keep the figures measured so far.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the backends of this run`);
      stopAllBackends().finally(() => {
        save(false);
        process.exit(130);
      });
    });
  }
  const guard = async (part: string, fn: () => Promise<PartResult[]>) => {
    const started = now();
    const before = results.length;
    try {
      results.push(...(await fn()));
    } catch (error) {
      log(`${part} failed: ${error instanceof Error ? error.stack : error}`);
      results.push({
        part,
        figures: [],
        error: String(error instanceof Error ? error.message : error),
        seconds: (now() - started) / 1000,
      });
    }
    // Figures as soon as a part ends, and saved, so an interrupted run keeps what it measured.
    process.stderr.write(
      textReport(results.slice(before), meta()).split('\n').slice(3).join('\n'),
    );
    save(false);
  };

  let buildSeconds: number | undefined;
  if (wants('frontend') || wants('approvals')) {
    await guard('frontend-build', async () => {
      buildSeconds = await ensureAppBuild(options);
      return [];
    });
  }
  if (wants('gate') || wants('frontend')) {
    const backend = await startBackend({ label: 'portal', database: 'sqlite' });
    try {
      if (wants('gate')) {
        await guard('gate-api', async () => [await gatePart(backend, options)]);
      }
      if (wants('frontend')) {
        await guard('frontend', async () => [
          await frontendPart(backend, options, buildSeconds),
        ]);
      }
    } finally {
      await backend.stop();
    }
  }
  if (wants('approvals')) {
    const backend = await startBackend({
      label: 'approvals',
      database: 'postgres',
    });
    try {
      await guard('approvals', async () => [
        await approvalsPart(backend, options),
      ]);
    } finally {
      await backend.stop();
    }
  }
  if (wants('evidence')) {
    await guard('evidence', async () => [await evidencePart(options)]);
  }
  if (wants('replicas')) {
    await guard('replicas', async () => [await replicasPart(options)]);
  }

  if (wants('catalog')) {
    await guard('catalog', async () => {
      const { ingestion, queries } = await catalogParts(options);
      return [ingestion, queries];
    });
  }

  const text = save(true);
  process.stdout.write(`\n${text}`);
  log('results in bench/results/latest.{json,md,txt}');
  if (results.some(r => r.error)) process.exitCode = 1;
}

main().catch(error => {
  process.stderr.write(
    `bench: ${error instanceof Error ? error.stack : error}\n`,
  );
  process.exit(1);
});
