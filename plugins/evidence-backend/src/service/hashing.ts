import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { SecretFinding } from '@internal/plugin-evidence-common';
import {
  LineCounter,
  SecretScanner,
  findingsAt,
  looksBinary,
} from './redaction';

export interface HashedFile {
  sha256: string;
  size: number;
  /** The first bytes hold a NUL: not scanned for secrets, not previewable. */
  binary: boolean;
  findings: SecretFinding[];
}

/** 1 MiB reads: measured about 1.8x faster than the 64 KiB default for sha256 (bench/evidence-hash.mts). */
const READ_SIZE = 1024 * 1024;

/**
 * One streaming pass over a file: sha256 and the secret scan share each chunk, so no file is
 * ever held in memory whole. Both run on the caller's thread: a hashing thread beside the scan
 * did not pay on the 2-core machine (bench/evidence-hash.mts, ratio to sha256sum 0.97-1.23 with
 * it, 1.25-1.26 without), so it was removed. Only a file with findings is read a second time,
 * to turn their offsets into line numbers (counting lines on every chunk would cost every file
 * for the rare one that needs it).
 */
export async function hashAndScanFile(
  realPath: string,
  options: { scan: boolean } = { scan: true },
): Promise<HashedFile> {
  const scanner = options.scan ? new SecretScanner() : undefined;
  const hashed = await readOnce(realPath, scanner);
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

/** Reads the file once, hashing every chunk and handing it to the scanner. */
async function readOnce(
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
