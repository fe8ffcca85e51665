import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  EvidencePacket,
  EvidencePacketView,
  FilePreview,
  RescanResult,
  SEGMENT_PATTERN,
  UploadQuery,
  UploadResult,
  packetFolderName,
  packetKey,
  parsePacketTimestamp,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { MarkerCitation, MarkerStore } from '../database/MarkerStore';
import {
  PacketListFilter,
  PacketStore,
  StoredFile,
  StoredPacket,
} from '../database/PacketStore';
import { LocalUploadStorage, UploadStorage } from '../storage/UploadStorage';
import { extractPacketArchive } from './extract';
import { KeyringSource } from './keyring';
import { resolveFileInside, safeRelativePath } from './paths';
import { maskSecrets } from './redaction';
import { EvidenceSettings } from './settings';
import { Keyring } from './signatures';
import { verifyPacket } from './verifier';
import { fingerprintOf, walkPacket } from './walk';

/** The source id of uploaded packets (stored under `dataDir`). */
export const UPLOAD_SOURCE = 'upload';
const rootSource = (name: string) => `root:${name}`;

/** A packet folder found in a root: `evidence/<area>/<subject...>/<timestamp>`. */
export interface PacketLocation {
  relPath: string;
  area: string;
  subject?: string;
  timestamp: string;
}

const PREVIEW_BYTES = 256 * 1024;
const MAX_MARKER_BYTES = 256 * 1024;
const MAX_SUBJECT_DEPTH = 8;

function publicPacket(p: StoredPacket): EvidencePacket {
  const {
    steps: _steps,
    contentDigest: _c,
    fingerprint: _f,
    keyringDigest: _k,
    summaryPath: _s,
    ...rest
  } = p;
  return rest;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.promises.lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Finds packet folders under `<base>/evidence/`, never following symlinked folders. */
export async function findPackets(base: string): Promise<PacketLocation[]> {
  const found: PacketLocation[] = [];
  const evidenceDir = path.join(base, 'evidence');
  if (!(await isDir(evidenceDir))) return found;
  async function descend(dir: string, segments: string[]) {
    const dirents = await fs.promises.readdir(dir, { withFileTypes: true });
    for (const d of dirents) {
      if (!d.isDirectory()) continue;
      const timestamp =
        segments.length > 0 ? parsePacketTimestamp(d.name) : undefined;
      if (timestamp) {
        found.push({
          relPath: ['evidence', ...segments, d.name].join('/'),
          area: segments[0],
          subject:
            segments.length > 1 ? segments.slice(1).join('/') : undefined,
          timestamp,
        });
      } else if (
        SEGMENT_PATTERN.test(d.name) &&
        segments.length <= MAX_SUBJECT_DEPTH
      ) {
        await descend(path.join(dir, d.name), [...segments, d.name]);
      }
    }
  }
  await descend(evidenceDir, []);
  return found.sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
}

const CITATION =
  /evidence\/([A-Za-z0-9._/-]+?\/\d{4}-?\d{2}-?\d{2}T\d{2}[:-]?\d{2}[:-]?\d{2}(?:\.\d{1,9})?Z)/g;

/** Acceptance markers (`acceptance/**.md`) of a root and the packet keys they cite. */
export async function findMarkers(
  base: string,
  source: string,
): Promise<MarkerCitation[]> {
  const citations: MarkerCitation[] = [];
  const dir = path.join(base, 'acceptance');
  if (!(await isDir(dir))) return citations;
  async function visit(current: string, rel: string, depth: number) {
    for (const d of await fs.promises.readdir(current, {
      withFileTypes: true,
    })) {
      const abs = path.join(current, d.name);
      const relPath = `${rel}/${d.name}`;
      if (d.isDirectory() && depth < 3) await visit(abs, relPath, depth + 1);
      if (!d.isFile() || !d.name.endsWith('.md')) continue;
      const stat = await fs.promises.stat(abs);
      if (stat.size > MAX_MARKER_BYTES) continue;
      const text = await fs.promises.readFile(abs, 'utf8');
      const heading = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
      const title = maskSecrets(heading ?? d.name).text;
      const keys = new Set<string>();
      for (const m of text.matchAll(CITATION)) {
        const segments = m[1].split('/');
        const ts = parsePacketTimestamp(segments[segments.length - 1]);
        if (!ts || !segments.slice(0, -1).every(s => SEGMENT_PATTERN.test(s)))
          continue;
        keys.add([...segments.slice(0, -1), packetFolderName(ts)].join('/'));
      }
      for (const key of keys)
        citations.push({ source, path: relPath, title, packetKey: key });
    }
  }
  await visit(dir, 'acceptance', 0);
  return citations;
}

/**
 * Indexes, verifies and serves evidence packets. Packets are read, never
 * written: an uploaded packet is unpacked once into its own new folder and
 * made read-only; re-ingesting the same content changes nothing.
 */
export class EvidenceService {
  readonly packets: PacketStore;
  readonly markers: MarkerStore;
  private scanning: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      db: Knex;
      settings: EvidenceSettings;
      keyrings: KeyringSource;
      logger: LoggerService;
      now?: () => Date;
      /** Where uploads live; default: evidence.dataDir on local disk (none: uploads are off). */
      storage?: UploadStorage;
    },
  ) {
    this.packets = new PacketStore(options.db);
    this.markers = new MarkerStore(options.db);
    this.storage =
      options.storage ??
      (options.settings.dataDir
        ? new LocalUploadStorage(options.settings.dataDir)
        : undefined);
  }

  private readonly storage: UploadStorage | undefined;

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The folder packets of a source live under, or undefined when it is no longer configured. */
  baseOf(source: string): string | undefined {
    const { settings } = this.options;
    if (source === UPLOAD_SOURCE) return this.storage?.base;
    return settings.roots.find(r => rootSource(r.name) === source)?.path;
  }

  private tenantOf(
    area: string,
    subject: string | undefined,
    metadataTenant?: string,
  ) {
    if (metadataTenant) return metadataTenant;
    if (!subject || !this.options.settings.tenantAreas.includes(area))
      return undefined;
    return `tenant:default/${subject.split('/')[0]}`.toLocaleLowerCase('en-US');
  }

  /**
   * Indexes one packet folder. Unchanged files and keys since the last
   * verification: nothing happens. Otherwise it is verified again and its
   * index entry replaced (same id).
   */
  async ingest(
    source: string,
    base: string,
    location: PacketLocation,
    keyring: Keyring,
    options: { force?: boolean } = {},
  ): Promise<{
    status: 'added' | 'updated' | 'unchanged';
    packet: StoredPacket;
  }> {
    const { settings } = this.options;
    // Everything a verdict depends on besides the files: a change means verify again.
    const trustDigest = createHash('sha256')
      .update(`${keyring.digest}/${settings.timestampTrust.digest}`)
      .digest('hex');
    const existing = await this.packets.findBySourcePath(
      source,
      location.relPath,
    );
    const dir = path.join(base, ...location.relPath.split('/'));
    if (existing && !options.force) {
      const realDir = await fs.promises.realpath(dir).catch(() => undefined);
      const fingerprint = realDir
        ? fingerprintOf(
            await walkPacket(realDir, { maxFiles: settings.upload.maxFiles }),
          )
        : 'removed';
      if (
        fingerprint === existing.fingerprint &&
        trustDigest === existing.keyringDigest
      ) {
        return { status: 'unchanged', packet: existing };
      }
    }
    const result = await verifyPacket(dir, {
      keyring,
      timestampTrust: settings.timestampTrust,
      requiredSigners: settings.dualControlAreas.includes(location.area)
        ? 2
        : 1,
      maxFiles: settings.upload.maxFiles,
    });
    const tenant = this.tenantOf(
      location.area,
      location.subject,
      result.metadata?.tenant,
    );
    let title = result.metadata?.title;
    if (!title && result.summaryPath) {
      const head = await this.readHead(dir, result.summaryPath, 4096);
      const heading = head && /^#\s+(.+)$/m.exec(head)?.[1]?.trim();
      if (heading) title = maskSecrets(heading).text.slice(0, 300);
    }
    const now = this.now().toISOString();
    const packet: StoredPacket = {
      id: existing?.id ?? randomUUID(),
      source,
      path: location.relPath,
      key: packetKey(location),
      area: location.area,
      subject: location.subject,
      timestamp: location.timestamp,
      tenant,
      entityRefs: [
        ...new Set([
          ...(tenant ? [tenant] : []),
          ...(result.metadata?.entities ?? []),
        ]),
      ],
      title,
      result: result.metadata?.result,
      verdict: result.verdict,
      reasons: result.reasons,
      signatures: result.signatures,
      timestamps: result.timestamps,
      signers: result.signers,
      requiredSigners: result.requiredSigners,
      steps: result.steps,
      manifestFormat: result.manifestFormat,
      manifestSha256: result.manifestSha256,
      fileCount: result.fileCount,
      totalBytes: result.totalBytes,
      indexedAt: existing?.indexedAt ?? now,
      verifiedAt: now,
      contentDigest: result.contentDigest,
      fingerprint: result.fingerprint,
      keyringDigest: trustDigest,
      summaryPath: result.summaryPath,
    };
    await this.packets.save(packet, result.files);
    return { status: existing ? 'updated' : 'added', packet };
  }

  private async readHead(
    dir: string,
    rel: string,
    bytes: number,
  ): Promise<string | undefined> {
    const real = await resolveFileInside(await fs.promises.realpath(dir), rel);
    if (!real) return undefined;
    const handle = await fs.promises.open(real, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }

  /** Rescans every root and the upload folder; one scan at a time per process. */
  rescan(): Promise<RescanResult> {
    const run = this.scanning.then(() => this.scanAll());
    this.scanning = run.catch(() => undefined);
    return run;
  }

  private async scanAll(): Promise<RescanResult> {
    const started = Date.now();
    const { settings, logger } = this.options;
    const keyring = await this.options.keyrings.load();
    const result: RescanResult = {
      roots: settings.roots.length,
      scanned: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      markers: 0,
      errors: [],
      durationMs: 0,
    };
    const sources: Array<{ source: string; base: string; markers: boolean }> = [
      ...settings.roots.map(r => ({
        source: rootSource(r.name),
        base: r.path,
        markers: true,
      })),
      ...(this.storage
        ? [{ source: UPLOAD_SOURCE, base: this.storage.base, markers: false }]
        : []),
    ];
    for (const { source, base, markers } of sources) {
      // Object storage: bring every stored packet into this replica's cache first, so a packet
      // another replica received is scanned, not reported removed.
      if (source === UPLOAD_SOURCE) await this.storage!.sync();
      if (!(await isDir(base))) {
        if (source !== UPLOAD_SOURCE) {
          result.errors.push({
            source,
            path: base,
            message: 'the root folder does not exist',
          });
          logger.warn(`Evidence root ${source} (${base}) does not exist`);
        }
        continue;
      }
      const locations = await findPackets(base);
      const seen = new Set<string>();
      for (const location of locations) {
        seen.add(location.relPath);
        result.scanned++;
        try {
          const { status } = await this.ingest(source, base, location, keyring);
          result[status]++;
        } catch (error) {
          result.errors.push({
            source,
            path: location.relPath,
            message: (error as Error).message,
          });
          logger.error(
            `Evidence packet ${source} ${location.relPath} failed: ${error}`,
          );
        }
      }
      // Packets gone from disk stay in the index, flagged: evidence must not silently vanish.
      for (const stored of await this.packets.listBySource(source)) {
        if (
          seen.has(stored.relPath) ||
          stored.reasons.includes('"packet-removed"')
        )
          continue;
        const packet = await this.packets.get(stored.id);
        if (!packet) continue;
        await this.ingest(
          source,
          base,
          {
            relPath: packet.path,
            area: packet.area,
            subject: packet.subject,
            timestamp: packet.timestamp,
          },
          keyring,
          { force: true },
        );
        result.removed++;
      }
      if (markers) {
        const citations = await findMarkers(base, source);
        await this.markers.replaceForSource(source, citations);
        result.markers += citations.length;
      }
    }
    result.durationMs = Date.now() - started;
    return result;
  }

  /** Stores an uploaded packet (tar or tar.gz stream) under the data folder and indexes it. */
  async upload(body: Readable, query: UploadQuery): Promise<UploadResult> {
    const { settings } = this.options;
    const storage = this.storage;
    if (!storage) {
      throw new ServiceUnavailableError(
        'uploads are off: set evidence.dataDir or evidence.storage in the configuration',
      );
    }
    const dataDir = storage.base;
    const location: PacketLocation = {
      relPath: [
        'evidence',
        query.area,
        ...(query.subject ? [query.subject] : []),
        packetFolderName(query.timestamp),
      ].join('/'),
      area: query.area,
      subject: query.subject || undefined,
      timestamp: query.timestamp,
    };
    const incoming = storage.scratchDir(randomUUID());
    try {
      const extracted = await extractPacketArchive(
        body,
        incoming,
        settings.upload,
      );
      const keyring = await this.options.keyrings.load();
      const existing = async (): Promise<UploadResult | undefined> => {
        if (!(await storage.fetch(location.relPath))) return undefined;
        const stored = await this.packets.findBySourcePath(
          UPLOAD_SOURCE,
          location.relPath,
        );
        const digest =
          stored?.contentDigest ??
          (await this.ingest(UPLOAD_SOURCE, dataDir, location, keyring)).packet
            .contentDigest;
        if (digest !== extracted.contentDigest) {
          throw new ConflictError(
            `a different packet is already stored as ${packetKey(
              location,
            )}; packets are never replaced. Upload the new one with a new timestamp`,
          );
        }
        const { packet } = await this.ingest(
          UPLOAD_SOURCE,
          dataDir,
          location,
          keyring,
        );
        return { created: false, packet: publicPacket(packet) };
      };
      const before = await existing();
      if (before) return before;
      const stored = await storage.commit(
        incoming,
        location.relPath,
        extracted.contentDigest,
      );
      if (stored !== 'committed') {
        // Another upload of the same key won the race (perhaps on another replica).
        const raced = stored === 'exists' ? await existing() : undefined;
        if (raced) return raced;
        throw new ConflictError(
          `a different packet is being stored as ${packetKey(
            location,
          )}; packets are never replaced. Upload the new one with a new timestamp`,
        );
      }
      const { packet } = await this.ingest(
        UPLOAD_SOURCE,
        dataDir,
        location,
        keyring,
        { force: true },
      );
      return { created: true, packet: publicPacket(packet) };
    } finally {
      await fs.promises.rm(incoming, { recursive: true, force: true });
    }
  }

  async list(
    filter: PacketListFilter,
  ): Promise<{ items: EvidencePacket[]; total: number }> {
    const { items, total } = await this.packets.list(filter);
    return { items: items.map(publicPacket), total };
  }

  async get(id: string): Promise<StoredPacket> {
    const packet = await this.packets.get(id);
    if (!packet) throw new NotFoundError(`no evidence packet ${id}`);
    return packet;
  }

  async view(packet: StoredPacket): Promise<EvidencePacketView> {
    const files = (await this.packets.files(packet.id)).map(
      ({ mtimeMs: _m, ...f }) => f,
    );
    const summary = packet.summaryPath
      ? await this.preview(packet, packet.summaryPath).catch(() => undefined)
      : undefined;
    return {
      ...publicPacket(packet),
      files,
      steps: packet.steps,
      markers: await this.markers.citing(packet.key),
      summary,
    };
  }

  /**
   * Resolves a file of a packet for reading: it must be in the index, still
   * be what was verified (same size and time), and resolve to a regular file
   * inside the packet folder.
   */
  private async openable(
    packet: StoredPacket,
    requested: string,
  ): Promise<{ file: StoredFile; realPath: string }> {
    const safe = safeRelativePath(requested);
    if (!safe.ok) {
      throw new InputError(
        `path ${JSON.stringify(requested)} ${
          safe.problem
        }; give a path inside the packet such as summary.md`,
      );
    }
    const file = await this.packets.file(packet.id, safe.path);
    if (!file || file.status === 'missing' || file.status === 'unsafe') {
      throw new NotFoundError(
        `packet ${packet.id} has no readable file ${safe.path}`,
      );
    }
    const base = this.baseOf(packet.source);
    if (!base)
      throw new NotFoundError(
        `the source ${packet.source} of packet ${packet.id} is no longer configured`,
      );
    // Object storage: a packet another replica received is fetched into this one's cache.
    if (packet.source === UPLOAD_SOURCE) await this.storage?.fetch(packet.path);
    let packetDir: string;
    try {
      packetDir = await fs.promises.realpath(
        path.join(base, ...packet.path.split('/')),
      );
    } catch {
      throw new NotFoundError(
        `packet ${packet.id} is gone from ${packet.source}`,
      );
    }
    const realPath = await resolveFileInside(packetDir, safe.path);
    if (!realPath)
      throw new NotFoundError(
        `packet ${packet.id} has no readable file ${safe.path}`,
      );
    const stat = await fs.promises.stat(realPath);
    if (
      stat.size !== file.size ||
      (file.mtimeMs !== undefined && Math.trunc(stat.mtimeMs) > file.mtimeMs)
    ) {
      throw new ConflictError(
        `${safe.path} changed since it was verified; an operator must rescan before it is served`,
      );
    }
    return { file, realPath };
  }

  /** The first part of a text file, cut at a line end, secret-like values masked. */
  async preview(packet: StoredPacket, requested: string): Promise<FilePreview> {
    const { file, realPath } = await this.openable(packet, requested);
    if (!file.text) {
      throw new InputError(
        `${file.path} is not a text file; download it instead`,
      );
    }
    const handle = await fs.promises.open(realPath, 'r');
    let buffer: Buffer;
    let truncated = false;
    try {
      const chunk = Buffer.alloc(
        Math.min(PREVIEW_BYTES, file.size ?? PREVIEW_BYTES),
      );
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, 0);
      buffer = chunk.subarray(0, bytesRead);
      truncated = (file.size ?? 0) > bytesRead;
    } finally {
      await handle.close();
    }
    if (truncated) {
      // Whole lines only: a token is never shown in part.
      const lastNewline = buffer.lastIndexOf(10);
      buffer = buffer.subarray(0, lastNewline + 1);
    }
    const { text, masked } = maskSecrets(buffer.toString('utf8'));
    return {
      path: file.path,
      text,
      truncated,
      masked,
      findings: file.findings,
    };
  }

  /** A file to send as an attachment; refused when it holds secret-like values. */
  async download(
    packet: StoredPacket,
    requested: string,
  ): Promise<{ file: StoredFile; stream: fs.ReadStream }> {
    const { file, realPath } = await this.openable(packet, requested);
    if (file.findings.length > 0) {
      throw new NotAllowedError(
        `${file.path} holds secret-like values (${file.findings.length}); the portal never serves it. Use the masked preview`,
      );
    }
    return { file, stream: fs.createReadStream(realPath) };
  }

  async areas(tenants?: string[]): Promise<string[]> {
    return this.packets.areas(tenants);
  }
}
