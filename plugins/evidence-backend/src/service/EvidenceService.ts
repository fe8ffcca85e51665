import fs from 'node:fs';
import { Readable } from 'node:stream';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EvidencePacket,
  EvidencePacketView,
  FilePreview,
  RescanResult,
  UploadQuery,
  UploadResult,
} from '@internal/plugin-evidence-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { MarkerStore } from '../database/MarkerStore';
import {
  PacketListFilter,
  PacketStore,
  StoredFile,
  StoredPacket,
} from '../database/PacketStore';
import { LocalUploadStorage, UploadStorage } from '../storage/UploadStorage';
import { PacketFileReader } from './fileReader';
import { IngestStatus, PacketIndexer, publicPacket } from './indexer';
import { KeyringSource } from './keyring';
import {
  EvidenceScanner,
  PacketLocation,
  UPLOAD_SOURCE,
  rootSource,
} from './scanner';
import { EvidenceSettings } from './settings';
import { Keyring } from './signatures';
import { PacketUploader } from './uploader';

export { UPLOAD_SOURCE, findMarkers, findPackets } from './scanner';
export type { PacketLocation } from './scanner';

/**
 * Indexes, verifies and serves evidence packets. Packets are read, never
 * written: an uploaded packet is unpacked once into its own new folder and
 * made read-only; re-ingesting the same content changes nothing.
 *
 * A façade over the scanner, indexer, uploader and file reader.
 */
export class EvidenceService {
  readonly packets: PacketStore;
  readonly markers: MarkerStore;
  private readonly storage: UploadStorage | undefined;
  private readonly indexer: PacketIndexer;
  private readonly scanner: EvidenceScanner;
  private readonly uploader: PacketUploader;
  private readonly reader: PacketFileReader;

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
    const { settings, keyrings, logger } = options;
    const packets = new PacketStore(options.db);
    const markers = new MarkerStore(options.db);
    const storage =
      options.storage ??
      (settings.dataDir ? new LocalUploadStorage(settings.dataDir) : undefined);
    const indexer = new PacketIndexer({
      packets,
      settings,
      now: () => options.now?.() ?? new Date(),
    });
    this.packets = packets;
    this.markers = markers;
    this.storage = storage;
    this.indexer = indexer;
    this.scanner = new EvidenceScanner({
      settings,
      keyrings,
      logger,
      packets,
      markers,
      indexer,
      storage,
    });
    this.uploader = new PacketUploader({
      settings,
      keyrings,
      packets,
      indexer,
      storage,
    });
    this.reader = new PacketFileReader({
      packets,
      storage,
      baseOf: source => this.baseOf(source),
    });
  }

  /** The folder packets of a source live under, or undefined when it is no longer configured. */
  baseOf(source: string): string | undefined {
    if (source === UPLOAD_SOURCE) return this.storage?.base;
    return this.options.settings.roots.find(r => rootSource(r.name) === source)
      ?.path;
  }

  /**
   * Indexes one packet folder. Unchanged files and keys since the last
   * verification: nothing happens. Otherwise it is verified again and its
   * index entry replaced (same id).
   */
  ingest(
    source: string,
    base: string,
    location: PacketLocation,
    keyring: Keyring,
    options: { force?: boolean } = {},
  ): Promise<{ status: IngestStatus; packet: StoredPacket }> {
    return this.indexer.ingest(source, base, location, keyring, options);
  }

  /** Rescans every root and the upload folder; one scan at a time per process. */
  rescan(): Promise<RescanResult> {
    return this.scanner.rescan();
  }

  /** Stores an uploaded packet (tar or tar.gz stream) under the data folder and indexes it. */
  upload(body: Readable, query: UploadQuery): Promise<UploadResult> {
    return this.uploader.upload(body, query);
  }

  async list(
    filter: PacketListFilter,
  ): Promise<{ items: EvidencePacket[]; total: number }> {
    const { items, total } = await this.packets.list(filter);
    return { items: items.map(publicPacket), total };
  }

  async get(id: string): Promise<StoredPacket> {
    const packet = await this.packets.get(id);
    if (!packet) throw new NotFoundError(`No evidence packet with id ${id}`);
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

  /** The first part of a text file, cut at a line end, secret-like values masked. */
  preview(packet: StoredPacket, requested: string): Promise<FilePreview> {
    return this.reader.preview(packet, requested);
  }

  /** A file to send as an attachment; refused when it holds secret-like values. */
  download(
    packet: StoredPacket,
    requested: string,
  ): Promise<{ file: StoredFile; stream: fs.ReadStream }> {
    return this.reader.download(packet, requested);
  }

  async areas(tenants?: string[]): Promise<string[]> {
    return this.packets.areas(tenants);
  }
}
