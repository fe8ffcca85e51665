import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  parsePacketTimestamp,
  SEGMENT_PATTERN,
} from '@internal/plugin-evidence-common';
import { UploadClaimStore } from '../database/UploadClaimStore';
import { safeRelativePath } from '../service/paths';
import { makeReadOnly, UploadStorage } from './UploadStorage';

// Uploaded packets in S3-compatible object storage (MinIO in the Samakia world), so every
// replica reads the same packets. Layout under the configured prefix:
//   files/<relPath>/<file>    each file of the packet, written first
//   packets/<relPath>.json    the packet's record (files, sizes, sha256, mtimes), written last:
//                             a packet exists once its record does
// Readers verify and serve from a local, read-only cache of these objects; packets never change
// once written, so a cached packet never goes stale.

export interface S3StorageOptions {
  bucket: string;
  prefix: string;
  client: S3Client;
  cacheDir: string;
  claims: UploadClaimStore;
  now?: () => Date;
}

interface PacketRecord {
  contentDigest: string;
  files: Array<{ path: string; size: number; sha256: string; mtimeMs: number }>;
}

function notFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

/**
 * Keys come from a bucket other programs can write too: a packet path is `evidence/` and plain
 * name segments, a file path stays inside its packet, or the object is ignored.
 */
function isPacketPath(relPath: string): boolean {
  const segments = relPath.split('/');
  const folder = segments.pop()!;
  const [head, ...names] = segments;
  return (
    head === 'evidence' &&
    names.length >= 1 &&
    names.every(s => SEGMENT_PATTERN.test(s)) &&
    parsePacketTimestamp(folder) !== undefined
  );
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory())
      out.push(...(await listFiles(path.join(dir, d.name), rel)));
    else if (d.isFile()) out.push(rel);
  }
  return out;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export class S3UploadStorage implements UploadStorage {
  readonly #o: S3StorageOptions;
  readonly #fetching = new Map<string, Promise<boolean>>();
  /** Packets checked against object storage by this process. */
  readonly #confirmed = new Set<string>();

  constructor(options: S3StorageOptions) {
    this.#o = options;
  }

  get description() {
    return `s3://${this.#o.bucket}/${this.#o.prefix} (cache ${
      this.#o.cacheDir
    })`;
  }

  get base() {
    return this.#o.cacheDir;
  }

  scratchDir(id: string) {
    return path.join(this.#o.cacheDir, '.incoming', id);
  }

  localDir(relPath: string) {
    return path.join(this.#o.cacheDir, ...relPath.split('/'));
  }

  #recordKey(relPath: string) {
    return `${this.#o.prefix}packets/${relPath}.json`;
  }

  #fileKey(relPath: string, file: string) {
    return `${this.#o.prefix}files/${relPath}/${file}`;
  }

  async #record(relPath: string): Promise<PacketRecord | undefined> {
    try {
      const res = await this.#o.client.send(
        new GetObjectCommand({
          Bucket: this.#o.bucket,
          Key: this.#recordKey(relPath),
        }),
      );
      return JSON.parse(await res.Body!.transformToString('utf8'));
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * PutObject with a fresh read stream per attempt: the SDK cannot retry a body stream it has
   * already read, so one dropped connection ("socket hang up") would fail the whole upload.
   * A 4xx answer is not retried.
   */
  async #putFile(key: string, abs: string, size: number) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#o.client.send(
          new PutObjectCommand({
            Bucket: this.#o.bucket,
            Key: key,
            Body: fs.createReadStream(abs),
            ContentLength: size,
          }),
        );
        return;
      } catch (e) {
        const status = (e as { $metadata?: { httpStatusCode?: number } })
          ?.$metadata?.httpStatusCode;
        if (attempt >= 3 || (status !== undefined && status < 500)) throw e;
      }
    }
  }

  async commit(incoming: string, relPath: string, contentDigest: string) {
    const owner = await this.#o.claims.claim(
      relPath,
      contentDigest,
      this.#o.now?.() ?? new Date(),
    );
    if (owner !== contentDigest) return 'conflict' as const;
    if (await this.#record(relPath)) return 'exists' as const;
    // Ours (or an earlier, cut-off upload of the same content): write every file, then the
    // record. Writing the same bytes again is harmless.
    const record: PacketRecord = { contentDigest, files: [] };
    for (const file of (await listFiles(incoming)).sort()) {
      const abs = path.join(incoming, file);
      const stat = await fs.promises.stat(abs);
      await this.#putFile(this.#fileKey(relPath, file), abs, stat.size);
      record.files.push({
        path: file,
        size: stat.size,
        sha256: await sha256File(abs),
        mtimeMs: Math.trunc(stat.mtimeMs),
      });
    }
    await this.#o.client.send(
      new PutObjectCommand({
        Bucket: this.#o.bucket,
        Key: this.#recordKey(relPath),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
    );
    await this.#place(incoming, relPath, contentDigest);
    return 'committed' as const;
  }

  /** Moves a complete packet folder into the cache (if no other fetch got there first). */
  async #place(dir: string, relPath: string, contentDigest: string) {
    const target = this.localDir(relPath);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.promises.rename(dir, target);
      await makeReadOnly(target);
    } catch (error) {
      if (!fs.existsSync(target)) throw error;
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
    // Which stored packet this cached copy is, for the check on first use in a process.
    await fs.promises.writeFile(`${target}.digest`, contentDigest);
    this.#confirmed.add(relPath);
  }

  fetch(relPath: string): Promise<boolean> {
    const running = this.#fetching.get(relPath);
    if (running) return running;
    const run = this.#download(relPath).finally(() =>
      this.#fetching.delete(relPath),
    );
    this.#fetching.set(relPath, run);
    return run;
  }

  async #download(relPath: string): Promise<boolean> {
    if (!isPacketPath(relPath)) return false;
    const local = this.localDir(relPath);
    if (this.#confirmed.has(relPath) && fs.existsSync(local)) return true;
    // Object storage is the truth: a cached copy is used only if the stored record is there and
    // names the same content (the cache may outlive a bucket, e.g. on a reused node).
    const record = await this.#record(relPath);
    const cached = fs.existsSync(local)
      ? await fs.promises.readFile(`${local}.digest`, 'utf8').catch(() => '')
      : undefined;
    if (cached !== undefined && cached !== record?.contentDigest) {
      await fs.promises.rm(local, { recursive: true, force: true });
      await fs.promises.rm(`${local}.digest`, { force: true });
    } else if (cached !== undefined) {
      this.#confirmed.add(relPath);
      return true;
    }
    if (!record) return false;
    for (const file of record.files) {
      if (!safeRelativePath(file.path).ok) {
        throw new Error(
          `the stored record of ${relPath} names an unsafe file path ${JSON.stringify(
            file.path,
          )}`,
        );
      }
    }
    const tmp = this.scratchDir(randomUUID());
    try {
      for (const file of record.files) {
        const abs = path.join(tmp, ...file.path.split('/'));
        await fs.promises.mkdir(path.dirname(abs), { recursive: true });
        const res = await this.#o.client.send(
          new GetObjectCommand({
            Bucket: this.#o.bucket,
            Key: this.#fileKey(relPath, file.path),
          }),
        );
        await pipeline(res.Body as Readable, fs.createWriteStream(abs));
        // The object must be what was recorded: a damaged copy is never cached.
        if ((await sha256File(abs)) !== file.sha256) {
          throw new Error(
            `object storage returned different content for ${relPath}/${file.path}`,
          );
        }
        // Same time as when it was verified, so reads accept it as unchanged.
        const mtime = new Date(file.mtimeMs);
        await fs.promises.utimes(abs, mtime, mtime);
      }
      await this.#place(tmp, relPath, record.contentDigest);
      return true;
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  }

  async sync(): Promise<number> {
    const prefix = `${this.#o.prefix}packets/`;
    let token: string | undefined;
    let count = 0;
    do {
      const page = await this.#o.client.send(
        new ListObjectsV2Command({
          Bucket: this.#o.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.endsWith('.json')) continue;
        const relPath = object.Key.slice(prefix.length, -'.json'.length);
        if (await this.fetch(relPath)) count++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return count;
  }
}
