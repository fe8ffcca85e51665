import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  MANIFEST_JSON,
  MANIFEST_SHA256,
  PacketFile,
  PacketMetadata,
  PacketSignature,
  PacketStep,
  PacketTimestamp,
  SUMMARY_FILES,
  Verdict,
  VerdictReason,
  verdictOf,
} from '@internal/plugin-evidence-common';
import { hashAndScanFile } from './hashing';
import { isSideFile, kindOf, mapPool, stepsOf } from './packetFiles';
import { compareStrings } from './paths';
import { maskSecrets } from './redaction';
import { Keyring } from './signatures';
import { TimestampTrust } from './timestamps';
import {
  PacketScan,
  checkManifestEntries,
  checkMetadata,
  checkSecrets,
  checkSignatures,
  checkSigners,
  checkSummary,
  checkTimestamps,
  checkWalk,
  readManifest,
} from './verifierChecks';
import { WalkResult, fingerprintOf, walkPacket } from './walk';

/** A file of the packet as verified, with what the index needs to serve it later. */
export interface VerifiedFile extends PacketFile {
  mtimeMs?: number;
}

export interface VerificationResult {
  verdict: Verdict;
  reasons: VerdictReason[];
  files: VerifiedFile[];
  signatures: PacketSignature[];
  timestamps: PacketTimestamp[];
  /** Distinct catalog users or groups with a valid signature. */
  signers: string[];
  requiredSigners: number;
  steps: PacketStep[];
  metadata?: PacketMetadata;
  manifestFormat?: 'sha256sum' | 'json';
  manifestSha256?: string;
  /** sha256 over every file's digest and path: the identity of the content. */
  contentDigest: string;
  /** Cheap stat fingerprint, see fingerprintOf. */
  fingerprint: string;
  summaryPath?: string;
  fileCount: number;
  totalBytes: number;
}

export interface VerifyOptions {
  keyring: Keyring;
  /** Time-stamping authorities for RFC 3161 tokens over the manifest (none: every token is untrusted). */
  timestampTrust?: TimestampTrust;
  /** Distinct signers needed (2 for dual control); packet.json may ask for more. */
  requiredSigners: number;
  maxFiles: number;
  /**
   * Files hashed at the same time (default 1: hashing and scanning run on the
   * event loop, so a second file only overlaps reads; measured no faster).
   */
  concurrency?: number;
}

const MAX_REASONS_PER_CODE = 50;

/** Collects reasons: at most 50 of a code, each message masked (it quotes the packet's own text). */
function reasonCollector() {
  const reasons: VerdictReason[] = [];
  const counts = new Map<string, number>();
  const add = (list: VerdictReason[]) => {
    for (const r of list) {
      const n = counts.get(r.code) ?? 0;
      counts.set(r.code, n + 1);
      if (n < MAX_REASONS_PER_CODE) {
        reasons.push({ ...r, message: maskSecrets(r.message).text });
      }
    }
  };
  return { reasons, add };
}

/** Hashes and scans every regular file once; nothing is known about the manifest yet. */
async function scanPacket(
  walk: WalkResult,
  concurrency: number,
): Promise<PacketScan> {
  const byPath = new Map(walk.entries.map(e => [e.path, e]));
  const isFile = (p: string) => byPath.get(p)?.type === 'file';
  // manifest.sha256 wins when both exist; the JSON file is then an ordinary file.
  let manifestName: string | undefined;
  if (isFile(MANIFEST_SHA256)) manifestName = MANIFEST_SHA256;
  else if (isFile(MANIFEST_JSON)) manifestName = MANIFEST_JSON;
  const summaryPath = SUMMARY_FILES.find(isFile);

  const regular = walk.entries.filter(e => e.type === 'file');
  const hashed = await mapPool(regular, concurrency, e =>
    hashAndScanFile(e.realPath!),
  );
  const files = new Map<string, VerifiedFile>();
  regular.forEach((entry, i) => {
    const h = hashed[i];
    files.set(entry.path, {
      path: entry.path,
      size: h.size,
      mtimeMs: entry.mtimeMs,
      sha256: h.sha256,
      status: isSideFile(entry.path, manifestName) ? 'meta' : 'extra',
      kind: kindOf(entry.path, manifestName, summaryPath),
      text: !h.binary,
      findings: h.findings,
    });
  });
  for (const entry of walk.entries.filter(e => e.type === 'unsafe')) {
    files.set(entry.path, {
      path: entry.path,
      status: 'unsafe',
      kind: kindOf(entry.path, manifestName, summaryPath),
      text: false,
      findings: [],
    });
  }
  return { walk, byPath, regular, files, manifestName, summaryPath };
}

/**
 * Verifies one packet folder without changing anything in it: every file is
 * hashed and scanned for secrets in one streaming pass, compared with the
 * manifest (missing, extra, modified), the manifest's detached signatures are
 * checked against the key ring, and the verdict is the worst finding. Each
 * phase is one check in verifierChecks.ts that returns its reasons.
 */
export async function verifyPacket(
  dir: string,
  options: VerifyOptions,
): Promise<VerificationResult> {
  let realDir: string;
  try {
    realDir = await fs.promises.realpath(dir);
  } catch {
    return removedPacket(options.requiredSigners);
  }
  const walk = await walkPacket(realDir, { maxFiles: options.maxFiles });
  const scan = await scanPacket(walk, options.concurrency ?? 1);
  const { manifestName, files, regular } = scan;
  const { reasons, add } = reasonCollector();
  add(checkWalk(scan, options.maxFiles));

  const read = await readManifest(scan);
  add(read.reasons);
  const { manifest, manifestBytes } = read;
  if (manifest && manifestName) {
    add(checkManifestEntries(scan, manifest, manifestName));
  }
  let signatures: PacketSignature[] = [];
  let timestamps: PacketTimestamp[] = [];
  if (manifestName && manifestBytes) {
    const signed = await checkSignatures(
      scan,
      manifestName,
      manifestBytes,
      options.keyring,
    );
    add(signed.reasons);
    signatures = signed.signatures;
    const stamped = await checkTimestamps(
      scan,
      manifestName,
      manifestBytes,
      options.timestampTrust ?? TimestampTrust.empty(),
    );
    add(stamped.reasons);
    timestamps = stamped.timestamps;
  }
  const { metadata, reasons: metadataReasons } = await checkMetadata(scan);
  add(metadataReasons);
  const requiredSigners = Math.max(
    options.requiredSigners,
    metadata?.requiredSigners ?? 1,
  );
  const { signers, reasons: signerReasons } = checkSigners(
    signatures,
    requiredSigners,
  );
  add(signerReasons);
  add(checkSecrets(files.values()));
  add(checkSummary(scan.summaryPath));

  const sorted = [...files.values()].sort((a, b) =>
    compareStrings(a.path, b.path),
  );
  const content = createHash('sha256');
  for (const f of sorted) {
    if (f.sha256) content.update(`${f.sha256}  ${f.path}\n`);
  }
  return {
    verdict: verdictOf(reasons),
    reasons,
    files: sorted,
    signatures,
    timestamps,
    signers,
    requiredSigners,
    steps: await stepsOf(walk.entries),
    metadata,
    manifestFormat: manifestFormatOf(manifestName),
    manifestSha256: read.manifestSha256,
    contentDigest: content.digest('hex'),
    fingerprint: fingerprintOf(walk),
    summaryPath: scan.summaryPath,
    fileCount: regular.length,
    totalBytes: regular.reduce((n, e) => n + e.size, 0),
  };
}

function manifestFormatOf(
  name: string | undefined,
): 'sha256sum' | 'json' | undefined {
  if (!name) return undefined;
  return name === MANIFEST_SHA256 ? 'sha256sum' : 'json';
}

/** The result for a packet folder that no longer exists. */
function removedPacket(requiredSigners: number): VerificationResult {
  const reasons: VerdictReason[] = [
    {
      code: 'packet-removed',
      message:
        'the packet folder is gone from its root; evidence must never be deleted',
    },
  ];
  return {
    verdict: verdictOf(reasons),
    reasons,
    files: [],
    signatures: [],
    timestamps: [],
    signers: [],
    requiredSigners,
    steps: [],
    contentDigest: createHash('sha256').digest('hex'),
    fingerprint: 'removed',
    fileCount: 0,
    totalBytes: 0,
  };
}
