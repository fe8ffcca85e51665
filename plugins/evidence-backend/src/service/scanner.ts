import fs from 'node:fs';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  RescanResult,
  SEGMENT_PATTERN,
  packetFolderName,
  parsePacketTimestamp,
} from '@internal/plugin-evidence-common';
import { MarkerCitation, MarkerStore } from '../database/MarkerStore';
import { PacketStore } from '../database/PacketStore';
import { UploadStorage } from '../storage/UploadStorage';
import type { PacketIndexer } from './indexer';
import { KeyringSource } from './keyring';
import { maskSecrets } from './redaction';
import { EvidenceSettings } from './settings';
import { Keyring } from './signatures';

/** A packet folder found in a root: `evidence/<area>/<subject...>/<timestamp>`. */
export interface PacketLocation {
  relPath: string;
  area: string;
  subject?: string;
  timestamp: string;
}

const MAX_MARKER_BYTES = 256 * 1024;
const MAX_SUBJECT_DEPTH = 8;

export async function isDir(p: string): Promise<boolean> {
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

/** The packet keys a marker's text cites (`evidence/<area>/<subject...>/<timestamp>`). */
function citedKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(CITATION)) {
    const segments = m[1].split('/');
    const ts = parsePacketTimestamp(segments[segments.length - 1]);
    if (!ts || !segments.slice(0, -1).every(s => SEGMENT_PATTERN.test(s)))
      continue;
    keys.add([...segments.slice(0, -1), packetFolderName(ts)].join('/'));
  }
  return keys;
}

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
      for (const key of citedKeys(text))
        citations.push({ source, path: relPath, title, packetKey: key });
    }
  }
  await visit(dir, 'acceptance', 0);
  return citations;
}

/** The source id of uploaded packets (stored under `dataDir`). */
export const UPLOAD_SOURCE = 'upload';
export const rootSource = (name: string) => `root:${name}`;

/** Rescans every root and the upload folder; one scan at a time per process. */
export class EvidenceScanner {
  private scanning: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      settings: EvidenceSettings;
      keyrings: KeyringSource;
      logger: LoggerService;
      packets: PacketStore;
      markers: MarkerStore;
      indexer: PacketIndexer;
      storage: UploadStorage | undefined;
    },
  ) {}

  rescan(): Promise<RescanResult> {
    const run = this.scanning.then(() => this.scanAll());
    this.scanning = run.catch(() => undefined);
    return run;
  }

  private sources() {
    const { settings, storage } = this.options;
    return [
      ...settings.roots.map(r => ({
        source: rootSource(r.name),
        base: r.path,
        markers: true,
      })),
      ...(storage
        ? [{ source: UPLOAD_SOURCE, base: storage.base, markers: false }]
        : []),
    ];
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
    for (const { source, base, markers } of this.sources()) {
      // Object storage: bring every stored packet into this replica's cache first, so a packet
      // another replica received is scanned, not reported removed.
      if (source === UPLOAD_SOURCE) await this.options.storage!.sync();
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
      const seen = await this.scanSource(source, base, keyring, result);
      await this.flagRemoved(source, base, keyring, seen, result);
      if (markers) {
        const citations = await findMarkers(base, source);
        await this.options.markers.replaceForSource(source, citations);
        result.markers += citations.length;
      }
    }
    result.durationMs = Date.now() - started;
    return result;
  }

  private async scanSource(
    source: string,
    base: string,
    keyring: Keyring,
    result: RescanResult,
  ): Promise<Set<string>> {
    const seen = new Set<string>();
    for (const location of await findPackets(base)) {
      seen.add(location.relPath);
      result.scanned++;
      try {
        const { status } = await this.options.indexer.ingest(
          source,
          base,
          location,
          keyring,
        );
        result[status]++;
      } catch (error) {
        result.errors.push({
          source,
          path: location.relPath,
          message: (error as Error).message,
        });
        this.options.logger.error(
          `Evidence packet ${source} ${location.relPath} failed: ${error}`,
        );
      }
    }
    return seen;
  }

  /** Packets gone from disk stay in the index, flagged: evidence must not silently vanish. */
  private async flagRemoved(
    source: string,
    base: string,
    keyring: Keyring,
    seen: Set<string>,
    result: RescanResult,
  ) {
    const { packets, indexer } = this.options;
    for (const stored of await packets.listBySource(source)) {
      if (
        seen.has(stored.relPath) ||
        stored.reasons.includes('"packet-removed"')
      )
        continue;
      // Uploaded through another replica after this scan's sync: in object storage, not removed.
      if (
        source === UPLOAD_SOURCE &&
        (await this.options.storage?.fetch(stored.relPath))
      )
        continue;
      const packet = await packets.get(stored.id);
      if (!packet) continue;
      await indexer.ingest(
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
  }
}
