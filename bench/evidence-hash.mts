#!/usr/bin/env node
// Throughput of the evidence verifier against GNU coreutils `sha256sum` on one packet.
//
//   node bench/evidence-hash.mts [--size-mib 1024] [--files 16] [--runs 2] [--json]
//
// Builds a packet of log-like text files (default 1 GiB in 16 files) in a temporary folder,
// makes its manifest with `sha256sum` (timed: the baseline), then times the portal's verifier
// over the same files: the full verification (streaming sha256 + secret scan + manifest
// comparison) with its default of one file at a time and with two at a time, and the hashing and
// secret-scan passes alone. Best of `--runs` each, after a warm-up read, so every contender reads from the page
// cache. Prints MB/s and each ratio against sha256sum (goal: at least 0.80). A figure, not a
// pass/fail test. Runs on Node 22 as-is; the verifier's TypeScript is loaded through the
// Backstage CLI's node transform. With --json it also prints the figures as one JSON line
// (read by bench/run.mts, `yarn bench`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('@backstage/cli/config/nodeTransform.cjs');
const { verifyPacket } =
  require('../plugins/evidence-backend/src/service/verifier.ts') as typeof import('../plugins/evidence-backend/src/service/verifier');
const { hashAndScanFile } =
  require('../plugins/evidence-backend/src/service/hashing.ts') as typeof import('../plugins/evidence-backend/src/service/hashing');
const { SecretScanner } =
  require('../plugins/evidence-backend/src/service/redaction.ts') as typeof import('../plugins/evidence-backend/src/service/redaction');
const { Keyring } =
  require('../plugins/evidence-backend/src/service/signatures.ts') as typeof import('../plugins/evidence-backend/src/service/signatures');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`evidence-hash: --${name} needs a positive number\n`);
    process.exit(2);
  }
  return value;
}

const sizeMiB = option('size-mib', 1024);
const fileCount = option('files', 16);
const runs = option('runs', 2);
const MiB = 1024 * 1024;

/** One MiB of log lines, like a step's stdout; varied so nothing is trivially compressible. */
function logChunk(seed: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < MiB) {
    const line = `2026-01-02T17:${String((i + seed) % 60).padStart(
      2,
      '0',
    )}:${String(i % 60).padStart(2, '0')}Z step=${seed}-${i} host=minio-edge-${
      i % 3
    } level=info msg="probe ok" latency_ms=${(i * 7919 + seed) % 997} id=${(
      (i * 2654435761 + seed) >>>
      0
    ).toString(16)}\n`;
    lines.push(line);
    size += line.length;
    i++;
  }
  return Buffer.from(lines.join('')).subarray(0, MiB);
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function timeAsync<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-bench-'));
  try {
    const perFile = Math.max(1, Math.floor(sizeMiB / fileCount));
    const names: string[] = [];
    for (let f = 0; f < fileCount; f++) {
      const name = `steps/${String(f).padStart(2, '0')}-run/stdout.log`;
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      const fd = fs.openSync(path.join(dir, name), 'w');
      for (let m = 0; m < perFile; m++)
        fs.writeSync(fd, logChunk(f * 1000 + m));
      fs.closeSync(fd);
      names.push(name);
    }
    fs.writeFileSync(path.join(dir, 'summary.md'), '# Benchmark packet\n');
    names.push('summary.md');
    names.sort();
    const bytes = names.reduce(
      (n, name) => n + fs.statSync(path.join(dir, name)).size,
      0,
    );

    // Warm the page cache so neither side pays for the disk.
    execFileSync('cat', names, {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });

    let baseline = Infinity;
    for (let r = 0; r < runs; r++) {
      const { ms, value } = time(() =>
        execFileSync('sha256sum', ['--', ...names], {
          cwd: dir,
          encoding: 'utf8',
          maxBuffer: 64 * MiB,
        }),
      );
      baseline = Math.min(baseline, ms);
      fs.writeFileSync(path.join(dir, 'manifest.sha256'), value);
    }

    const keyring = new Keyring([]);
    const verify = async (concurrency: number) => {
      let best = Infinity;
      for (let r = 0; r < runs; r++) {
        const { ms, value } = await timeAsync(() =>
          verifyPacket(dir, {
            keyring,
            requiredSigners: 1,
            maxFiles: 10_000,
            concurrency,
          }),
        );
        // The packet is unsigned by design; anything else means the verifier disagreed with sha256sum.
        if (value.verdict !== 'unsigned') {
          throw new Error(
            `unexpected verdict ${value.verdict}: ${JSON.stringify(
              value.reasons.slice(0, 3),
            )}`,
          );
        }
        best = Math.min(best, ms);
      }
      return best;
    };
    const full1 = await verify(1);
    const full2 = await verify(2);
    let hashOnly = Infinity;
    for (let r = 0; r < runs; r++) {
      const { ms } = await timeAsync(async () => {
        for (const name of names)
          await hashAndScanFile(path.join(dir, name), { scan: false });
      });
      hashOnly = Math.min(hashOnly, ms);
    }

    // The secret scan alone (the verifier hashes and scans each chunk in turn).
    let scanOnly = Infinity;
    for (let r = 0; r < runs; r++) {
      const { ms } = await timeAsync(async () => {
        for (const name of names) {
          const scanner = new SecretScanner();
          const stream = fs.createReadStream(path.join(dir, name), {
            highWaterMark: MiB,
          });
          for await (const chunk of stream) scanner.push(chunk as Buffer);
          scanner.end();
        }
      });
      scanOnly = Math.min(scanOnly, ms);
    }

    const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
    const row = (label: string, ms: number) =>
      `${label.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms ${mbps(ms)
        .toFixed(0)
        .padStart(6)} MB/s  ratio ${(baseline / ms).toFixed(2)}`;
    process.stdout.write(
      [
        `packet: ${names.length} files, ${(bytes / MiB).toFixed(
          0,
        )} MiB of log text; ${os.cpus().length} CPUs; best of ${runs}`,
        row('sha256sum (baseline)', baseline),
        row('verifier: hash + secret scan (default, 1 file)', full1),
        row('verifier: hash + secret scan, 2 files at a time', full2),
        row('verifier: sha256 pass only, 1 file at a time', hashOnly),
        row('verifier: secret scan pass only, 1 file at a time', scanOnly),
        `throughput ratio verifier / sha256sum: ${(baseline / full1).toFixed(
          2,
        )} (goal >= 0.80)`,
        '',
      ].join('\n'),
    );
    if (process.argv.includes('--json')) {
      process.stdout.write(
        `${JSON.stringify({
          files: names.length,
          bytes,
          cpus: os.cpus().length,
          runs,
          sha256sumMs: baseline,
          verifierMs: full1,
          verifierTwoFilesMs: full2,
          hashOnlyMs: hashOnly,
          scanOnlyMs: scanOnly,
          sha256sumMBps: mbps(baseline),
          verifierMBps: mbps(full1),
          ratio: baseline / full1,
        })}\n`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(
    `evidence-hash: ${error instanceof Error ? error.stack : error}\n`,
  );
  process.exit(1);
});
