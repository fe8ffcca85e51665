import fs from 'node:fs';
import path from 'node:path';

/**
 * Where uploaded packets are kept. The verifier, previews and downloads read a packet from a
 * local folder (`localDir`); the storage decides whether that folder is the store itself (local
 * disk, one replica) or a read-only cache of object storage (every replica sees every packet).
 */
export interface UploadStorage {
  /** What the logs say: where packets go. */
  readonly description: string;
  /** A fresh folder for unpacking one upload, on the same file system as the local folders. */
  scratchDir(id: string): string;
  /** The local folder of the packet at `relPath` (it exists after `fetch` answered true). */
  localDir(relPath: string): string;
  /** The folder `findPackets` scans: every fetched packet is below it. */
  readonly base: string;
  /**
   * Stores the packet unpacked in `incoming` (moved away or deleted) as `relPath`.
   * 'exists' when the path already holds a packet (packets are never replaced), 'conflict'
   * when it is being stored with other content.
   */
  commit(
    incoming: string,
    relPath: string,
    contentDigest: string,
  ): Promise<'committed' | 'exists' | 'conflict'>;
  /** Makes the packet at `relPath` readable under `localDir`; false when it is not stored. */
  fetch(relPath: string): Promise<boolean>;
  /** Brings every stored packet under `base` (before a rescan); answers how many exist. */
  sync(): Promise<number>;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.promises.lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Files read-only, so nothing in the portal's process changes a verified packet by accident. */
export async function makeReadOnly(dir: string): Promise<void> {
  for (const d of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, d.name);
    if (d.isDirectory()) await makeReadOnly(abs);
    else if (d.isFile()) await fs.promises.chmod(abs, 0o444);
  }
}

/** The local default: packets under evidence.dataDir, one process owns them. */
export class LocalUploadStorage implements UploadStorage {
  constructor(readonly base: string) {}

  get description() {
    return this.base;
  }

  scratchDir(id: string) {
    return path.join(this.base, '.incoming', id);
  }

  localDir(relPath: string) {
    return path.join(this.base, ...relPath.split('/'));
  }

  async commit(incoming: string, relPath: string) {
    const finalDir = this.localDir(relPath);
    if (await isDir(finalDir)) return 'exists' as const;
    await fs.promises.mkdir(path.dirname(finalDir), { recursive: true });
    try {
      // rename is atomic: of two uploads of the same path, one wins.
      await fs.promises.rename(incoming, finalDir);
    } catch (error) {
      if (await isDir(finalDir)) return 'exists' as const;
      throw error;
    }
    await makeReadOnly(finalDir);
    return 'committed' as const;
  }

  fetch(relPath: string) {
    return isDir(this.localDir(relPath));
  }

  async sync() {
    return 0;
  }
}
