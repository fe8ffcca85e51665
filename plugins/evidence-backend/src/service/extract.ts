import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InputError } from '@backstage/errors';
import { Parser, ReadEntry } from 'tar';
import { ArchiveLayout } from './archiveLayout';
import { PayloadTooLargeError } from './errors';
import { compareStrings, safeRelativePath } from './paths';

export interface ExtractLimits {
  /** Bytes of the (compressed) request body. */
  maxBytes: number;
  /** Bytes of all unpacked files together. */
  maxExtractedBytes: number;
  maxFiles: number;
}

export interface ExtractResult {
  files: number;
  bytes: number;
  /** Same definition as the verifier's contentDigest: sha256 over `<sha256>  <path>\n`, sorted by path. */
  contentDigest: string;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Unpacks a tar (optionally gzip-compressed) of one packet from a stream into
 * `dest`, which must be a fresh folder. Nothing is buffered whole: the body
 * flows through the parser into files, with backpressure. Refused with a 4xx:
 * a body or content over the limits (413), absolute paths, `..`, backslashes,
 * symlinks, hard links, devices, duplicate entries and entries that contradict each other (a
 * file and a folder of one name, see ArchiveLayout) (400). The caller
 * removes `dest` when this throws.
 */
export async function extractPacketArchive(
  input: Readable,
  dest: string,
  limits: ExtractLimits,
): Promise<ExtractResult> {
  await fs.promises.mkdir(dest, { recursive: true });
  const digests = new Map<string, string>();
  const layout = new ArchiveLayout();
  const writes: Promise<void>[] = [];
  // Files being written: closed on failure, or an entry cut off mid-body would never end them.
  const open = new Set<fs.WriteStream>();
  let extracted = 0;
  let failure: Error | undefined;
  let rejectFailed: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {});

  // Strict: a damaged header or an unreadable archive is an error, not a warning to skip past.
  const parser = new Parser({ strict: true });
  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    rejectFailed(error);
    parser.abort(error);
    for (const out of open) out.destroy();
  };
  parser.on('error', (error: Error) => {
    if (failure) return;
    fail(
      /decompression ratio/.test(error.message)
        ? new PayloadTooLargeError(
            `the archive unpacks to over 1000 times its size (${error.message}); refused as a decompression bomb`,
          )
        : new InputError(
            `the body is not a readable tar or tar.gz archive (${error.message}); send the output of tar -czf - -C <packet folder> .`,
          ),
    );
  });

  const handle = (entry: ReadEntry) => {
    const raw = entry.path;
    if (entry.type === 'Directory' && /^\.?\/?$/.test(raw)) {
      entry.resume();
      return;
    }
    const safe = safeRelativePath(raw);
    if (!safe.ok) {
      throw new InputError(
        `archive entry ${JSON.stringify(raw)} ${
          safe.problem
        }; packets may only hold paths inside the packet`,
      );
    }
    if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      throw new InputError(
        `archive entry ${JSON.stringify(raw)} is a ${
          entry.type === 'Link' ? 'hard link' : 'symbolic link'
        } to ${JSON.stringify(
          entry.linkpath ?? '',
        )}; links are refused, archive the files themselves (tar -h)`,
      );
    }
    const target = path.join(dest, ...safe.path.split('/'));
    if (entry.type === 'Directory') {
      layout.add(raw, safe.path, 'folder');
      fs.mkdirSync(target, { recursive: true });
      entry.resume();
      return;
    }
    if (!FILE_TYPES.has(entry.type)) {
      throw new InputError(
        `archive entry ${JSON.stringify(raw)} is a ${
          entry.type
        }; only files and folders are accepted`,
      );
    }
    layout.add(raw, safe.path, 'file');
    if (digests.size + 1 > limits.maxFiles) {
      throw new PayloadTooLargeError(
        `the packet holds more than ${limits.maxFiles} files (evidence.upload.maxFiles)`,
      );
    }
    if (extracted + (entry.size ?? 0) > limits.maxExtractedBytes) {
      throw new PayloadTooLargeError(
        `the unpacked packet is larger than ${limits.maxExtractedBytes} bytes (evidence.upload.maxExtractedBytes)`,
      );
    }
    digests.set(safe.path, '');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const hash = createHash('sha256');
    // 'wx': never write through something that already exists at that path.
    const out = fs.createWriteStream(target, { flags: 'wx', mode: 0o644 });
    open.add(out);
    writes.push(
      new Promise<void>((resolve, reject) => {
        out.on('error', reject);
        out.on('close', () => {
          open.delete(out);
          digests.set(safe.path, hash.digest('hex'));
          resolve();
        });
      }).catch(error => fail(error)),
    );
    entry.on('data', (chunk: Buffer) => {
      extracted += chunk.length;
      if (extracted > limits.maxExtractedBytes) {
        fail(
          new PayloadTooLargeError(
            `the unpacked packet is larger than ${limits.maxExtractedBytes} bytes (evidence.upload.maxExtractedBytes)`,
          ),
        );
        out.destroy();
        return;
      }
      hash.update(chunk);
      if (!out.write(chunk)) {
        entry.pause();
        out.once('drain', () => entry.resume());
      }
    });
    entry.on('end', () => out.end());
  };

  parser.on('entry', (entry: ReadEntry) => {
    if (failure) {
      entry.resume();
      return;
    }
    try {
      handle(entry);
    } catch (error) {
      entry.resume();
      fail(error as Error);
    }
  });

  const ended = new Promise<void>(resolve =>
    parser.once('end', () => resolve()),
  );
  let received = 0;
  const feed = async () => {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > limits.maxBytes) {
        throw new PayloadTooLargeError(
          `the upload is larger than ${limits.maxBytes} bytes (evidence.upload.maxBytes)`,
        );
      }
      if (failure) throw failure;
      if (!parser.write(chunk)) {
        await Promise.race([
          new Promise(resolve => parser.once('drain', resolve)),
          failed,
        ]);
      }
    }
    parser.end();
    await Promise.race([ended, failed]);
    await Promise.race([Promise.all(writes), failed]);
  };
  try {
    await feed();
  } catch (error) {
    fail(error as Error);
    await Promise.allSettled(writes);
    throw failure ?? error;
  }
  if (failure) throw failure;
  if (digests.size === 0) {
    throw new InputError(
      'the archive holds no files; send the packet folder: tar -czf - -C <packet folder> .',
    );
  }
  const content = createHash('sha256');
  for (const p of [...digests.keys()].sort(compareStrings)) {
    content.update(`${digests.get(p)}  ${p}\n`);
  }
  return {
    files: digests.size,
    bytes: extracted,
    contentDigest: content.digest('hex'),
  };
}
