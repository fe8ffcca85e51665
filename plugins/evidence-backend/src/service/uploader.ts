import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  UploadQuery,
  UploadResult,
  packetFolderName,
  packetKey,
} from '@internal/plugin-evidence-common';
import { PacketStore } from '../database/PacketStore';
import { UploadStorage } from '../storage/UploadStorage';
import { extractPacketArchive } from './extract';
import { PacketIndexer, publicPacket } from './indexer';
import { KeyringSource } from './keyring';
import { PacketLocation, UPLOAD_SOURCE } from './scanner';
import { EvidenceSettings } from './settings';

function locationOf(query: UploadQuery): PacketLocation {
  return {
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
}

const neverReplaced = (location: PacketLocation, what: string) =>
  new ConflictError(
    `a different packet ${what} as ${packetKey(
      location,
    )}; packets are never replaced. Upload the new one with a new timestamp`,
  );

/**
 * Stores an uploaded packet (tar or tar.gz stream) once, in its own new
 * folder, and indexes it; the same content again changes nothing, other
 * content under the same key is refused.
 */
export class PacketUploader {
  constructor(
    private readonly options: {
      settings: EvidenceSettings;
      keyrings: KeyringSource;
      packets: PacketStore;
      indexer: PacketIndexer;
      storage: UploadStorage | undefined;
    },
  ) {}

  async upload(body: Readable, query: UploadQuery): Promise<UploadResult> {
    const { settings, packets, indexer } = this.options;
    const storage = this.options.storage;
    if (!storage) {
      throw new ServiceUnavailableError(
        'uploads are off: set evidence.dataDir or evidence.storage in the configuration',
      );
    }
    const dataDir = storage.base;
    const location = locationOf(query);
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
        const stored = await packets.findBySourcePath(
          UPLOAD_SOURCE,
          location.relPath,
        );
        const digest =
          stored?.contentDigest ??
          (await indexer.ingest(UPLOAD_SOURCE, dataDir, location, keyring))
            .packet.contentDigest;
        if (digest !== extracted.contentDigest) {
          throw neverReplaced(location, 'is already stored');
        }
        const { packet } = await indexer.ingest(
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
        throw neverReplaced(location, 'is being stored');
      }
      const { packet } = await indexer.ingest(
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
}
