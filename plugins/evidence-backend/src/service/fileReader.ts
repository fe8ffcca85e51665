import fs from 'node:fs';
import path from 'node:path';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { FilePreview } from '@internal/plugin-evidence-common';
import { PacketStore, StoredFile, StoredPacket } from '../database/PacketStore';
import { UploadStorage } from '../storage/UploadStorage';
import { resolveFileInside, safeRelativePath } from './paths';
import { maskSecrets } from './redaction';
import { UPLOAD_SOURCE } from './scanner';

const PREVIEW_BYTES = 256 * 1024;

/** Serves the files of indexed packets: a masked preview, or a download when nothing secret-like is in it. */
export class PacketFileReader {
  constructor(
    private readonly options: {
      packets: PacketStore;
      storage: UploadStorage | undefined;
      baseOf: (source: string) => string | undefined;
    },
  ) {}

  private async packetDir(packet: StoredPacket): Promise<string> {
    const base = this.options.baseOf(packet.source);
    if (!base)
      throw new NotFoundError(
        `the source ${packet.source} of packet ${packet.id} is no longer configured`,
      );
    // Object storage: a packet another replica received is fetched into this one's cache.
    if (packet.source === UPLOAD_SOURCE)
      await this.options.storage?.fetch(packet.path);
    try {
      return await fs.promises.realpath(
        path.join(base, ...packet.path.split('/')),
      );
    } catch {
      throw new NotFoundError(
        `packet ${packet.id} is gone from ${packet.source}`,
      );
    }
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
    const file = await this.options.packets.file(packet.id, safe.path);
    const unreadable = () =>
      new NotFoundError(
        `packet ${packet.id} has no readable file ${safe.path}`,
      );
    if (!file || file.status === 'missing' || file.status === 'unsafe') {
      throw unreadable();
    }
    const realPath = await resolveFileInside(
      await this.packetDir(packet),
      safe.path,
    );
    if (!realPath) throw unreadable();
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
}
