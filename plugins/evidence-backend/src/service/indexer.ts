import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EvidencePacket, packetKey } from '@internal/plugin-evidence-common';
import { PacketStore, StoredPacket } from '../database/PacketStore';
import { resolveFileInside } from './paths';
import { maskSecrets } from './redaction';
import type { PacketLocation } from './scanner';
import { EvidenceSettings } from './settings';
import { Keyring } from './signatures';
import { verifyPacket } from './verifier';
import { fingerprintOf, walkPacket } from './walk';

export type IngestStatus = 'added' | 'updated' | 'unchanged';

/** Reads the first `bytes` of a file of a packet folder, or undefined when it does not resolve inside. */
async function readHead(
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

/**
 * Verifies one packet folder and keeps its index entry: unchanged files and
 * keys since the last verification change nothing; otherwise the packet is
 * verified again and its entry replaced (same id).
 */
export class PacketIndexer {
  constructor(
    private readonly options: {
      packets: PacketStore;
      settings: EvidenceSettings;
      now: () => Date;
    },
  ) {}

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

  /** Everything a verdict depends on besides the files: a change means verify again. */
  private trustDigest(keyring: Keyring): string {
    return createHash('sha256')
      .update(
        `${keyring.digest}/${this.options.settings.timestampTrust.digest}`,
      )
      .digest('hex');
  }

  private async isUnchanged(
    dir: string,
    existing: StoredPacket,
    trustDigest: string,
  ): Promise<boolean> {
    const realDir = await fs.promises.realpath(dir).catch(() => undefined);
    const fingerprint = realDir
      ? fingerprintOf(
          await walkPacket(realDir, {
            maxFiles: this.options.settings.upload.maxFiles,
          }),
        )
      : 'removed';
    return (
      fingerprint === existing.fingerprint &&
      trustDigest === existing.keyringDigest
    );
  }

  async ingest(
    source: string,
    base: string,
    location: PacketLocation,
    keyring: Keyring,
    options: { force?: boolean } = {},
  ): Promise<{ status: IngestStatus; packet: StoredPacket }> {
    const { settings, packets } = this.options;
    const trustDigest = this.trustDigest(keyring);
    const existing = await packets.findBySourcePath(source, location.relPath);
    const dir = path.join(base, ...location.relPath.split('/'));
    if (
      existing &&
      !options.force &&
      (await this.isUnchanged(dir, existing, trustDigest))
    ) {
      return { status: 'unchanged', packet: existing };
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
      const head = await readHead(dir, result.summaryPath, 4096);
      const heading = head && /^#\s+(.+)$/m.exec(head)?.[1]?.trim();
      if (heading) title = maskSecrets(heading).text.slice(0, 300);
    }
    const now = this.options.now().toISOString();
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
      kind: result.metadata?.kind,
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
    // Another replica may have stored this folder first: the entry keeps its id.
    const id = await packets.save(packet, result.files);
    return {
      status: existing ? 'updated' : 'added',
      packet: { ...packet, id },
    };
  }
}

/** A packet as the API shows it: the index's bookkeeping left out. */
export function publicPacket(p: StoredPacket): EvidencePacket {
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
