import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { SecretFinding } from '@internal/plugin-evidence-common';
import {
  LineCounter,
  SecretScanner,
  findingsAt,
  looksBinary,
} from './redaction';
import { HashThreadError, Sha256ThreadPool } from './hashWorker';

export interface HashedFile {
  sha256: string;
  size: number;
  /** The first bytes hold a NUL: not scanned for secrets, not previewable. */
  binary: boolean;
  findings: SecretFinding[];
}

/** 1 MiB reads: measured about 1.8x faster than the 64 KiB default for sha256 (bench/evidence-hash.mts). */
const READ_SIZE = 1024 * 1024;

/** Below this size a file is hashed and scanned on the caller's thread: a thread hop would cost more than it saves. */
const THREAD_MIN_SIZE = 4 * READ_SIZE;

/**
 * sha256 runs on a pool thread while the secret scan runs here, over the same
 * chunk read once: each alone is about as fast as `sha256sum`, one after the
 * other about 0.6 of it (bench/evidence-hash.mts).
 */
const threads = new Sha256ThreadPool(
  READ_SIZE,
  Math.max(1, Math.min(4, os.availableParallelism())),
);

/** Stops the idle hashing threads (tests; the pool also stops them when idle). */
export function closeHashThreads(): Promise<void> {
  return threads.close();
}

/**
 * One streaming pass over a file: sha256 and the secret scan share each
 * chunk, so no file is ever held in memory whole. Only a file with findings
 * is read a second time, to turn their offsets into line numbers (counting
 * lines on every chunk would cost every file for the rare one that needs it).
 */
export async function hashAndScanFile(
  realPath: string,
  options: { scan: boolean } = { scan: true },
): Promise<HashedFile> {
  let scanner = options.scan ? new SecretScanner() : undefined;
  let hashed: { sha256: string; size: number; head?: Buffer } | undefined;
  if (scanner) {
    const threaded = scanner;
    const handle = await fs.promises.open(realPath, 'r');
    try {
      const { size } = await handle.stat();
      if (size >= THREAD_MIN_SIZE) {
        const outcome = await threads.run(thread =>
          thread.hash(handle, chunk => threaded.push(chunk)),
        );
        if (outcome.ran) hashed = outcome.value;
      }
    } catch (error) {
      // A thread that died is no reason to fail the packet: start over here.
      if (!(error instanceof HashThreadError)) throw error;
      scanner = new SecretScanner();
    } finally {
      await handle.close();
    }
  }
  hashed ??= await hashInline(realPath, scanner);
  const hits = scanner ? scanner.end() : [];
  let findings: SecretFinding[] = [];
  if (hits.length > 0) {
    const counter = new LineCounter(hits.map(h => h.offset));
    const again = fs.createReadStream(realPath, { highWaterMark: READ_SIZE });
    for await (const chunk of again as AsyncIterable<Buffer>) {
      counter.push(chunk);
      if (counter.done) break;
    }
    again.destroy();
    findings = findingsAt(hits, counter.lines);
  }
  return {
    sha256: hashed.sha256,
    size: hashed.size,
    binary: scanner
      ? scanner.binary
      : Boolean(hashed.head && looksBinary(hashed.head)),
    findings,
  };
}

async function hashInline(
  realPath: string,
  scanner: SecretScanner | undefined,
): Promise<{ sha256: string; size: number; head?: Buffer }> {
  const hash = createHash('sha256');
  let size = 0;
  let head: Buffer | undefined;
  const stream = fs.createReadStream(realPath, { highWaterMark: READ_SIZE });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    head ??= chunk;
    hash.update(chunk);
    scanner?.push(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size, head };
}
