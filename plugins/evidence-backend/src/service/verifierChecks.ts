import { fabricErrorMap, formatZodError } from '@internal/plugin-fabric-common';
import { createHash } from 'node:crypto';
import {
  MANIFEST_JSON,
  MANIFEST_SHA256,
  PACKET_METADATA_FILE,
  PacketMetadata,
  PacketSignature,
  PacketTimestamp,
  SIGNATURES_DIR,
  SUMMARY_FILES,
  VerdictReason,
  packetMetadataSchema,
} from '@internal/plugin-evidence-common';
import { ParsedManifest, parseJsonManifest, parseSha256Sums } from './manifest';
import {
  isSideFile,
  isSignatureFile,
  isTimestampFile,
  kindOf,
  readSmall,
} from './packetFiles';
import { Keyring, verifySignatureFile } from './signatures';
import { TimestampTrust, verifyTimestamp } from './timestamps';
import type { VerifiedFile } from './verifier';
import { WalkResult, WalkedEntry } from './walk';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_SIDE_FILE_BYTES = 1024 * 1024;
const tooLarge = (limit: number) => `is larger than ${limit} bytes`;

/** What every check of one packet looks at: the walked folder and its files so far. */
export interface PacketScan {
  walk: WalkResult;
  byPath: Map<string, WalkedEntry>;
  /** Regular files, in walk order. */
  regular: WalkedEntry[];
  /** Every file by path; the checks set each one's status. */
  files: Map<string, VerifiedFile>;
  manifestName?: string;
  summaryPath?: string;
}

/** The walk itself: a packet cut short, entries that are not safe to read. */
export function checkWalk(scan: PacketScan, maxFiles: number): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  if (scan.walk.truncated) {
    reasons.push({
      code: 'too-many-files',
      message: `the packet holds more than ${maxFiles} files; only the first ones were verified`,
    });
  }
  for (const entry of scan.walk.entries.filter(e => e.type === 'unsafe')) {
    reasons.push({
      code: 'unsafe-entry',
      path: entry.path,
      message: `${entry.path} ${entry.problem}; it was not read`,
    });
  }
  return reasons;
}

export interface ManifestRead {
  manifest?: ParsedManifest;
  manifestBytes?: Buffer;
  manifestSha256?: string;
  reasons: VerdictReason[];
}

/** The manifest: what should be there, with which digest. */
export async function readManifest(scan: PacketScan): Promise<ManifestRead> {
  const { manifestName } = scan;
  if (!manifestName) {
    return {
      reasons: [
        {
          code: 'manifest-missing',
          message: `no ${MANIFEST_SHA256} (sha256sum output) or ${MANIFEST_JSON}; nothing in the packet can be checked`,
        },
      ],
    };
  }
  const manifestBytes = await readSmall(
    scan.byPath.get(manifestName)!.realPath!,
    MAX_MANIFEST_BYTES,
  );
  if (!manifestBytes) {
    return {
      reasons: [
        {
          code: 'manifest-invalid',
          path: manifestName,
          message: `${manifestName} ${tooLarge(MAX_MANIFEST_BYTES)}`,
        },
      ],
    };
  }
  const text = manifestBytes.toString('utf8');
  return {
    manifestBytes,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
    manifest:
      manifestName === MANIFEST_SHA256
        ? parseSha256Sums(text)
        : parseJsonManifest(text),
    reasons: [],
  };
}

/** The manifest against the files: missing, modified and extra files. */
export function checkManifestEntries(
  scan: PacketScan,
  manifest: ParsedManifest,
  manifestName: string,
): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const { files, summaryPath } = scan;
  if (manifest.problems.length > 0) {
    reasons.push({
      code: 'manifest-invalid',
      path: manifestName,
      message: `${manifestName}: ${manifest.problems.slice(0, 5).join('; ')}${
        manifest.problems.length > 5
          ? `; and ${manifest.problems.length - 5} more`
          : ''
      }`,
    });
  }
  for (const u of manifest.unsafe) {
    reasons.push({
      code: 'unsafe-entry',
      message: `${manifestName} lists ${JSON.stringify(u.path)}, which ${
        u.problem
      }; it was not read`,
    });
  }
  for (const [path, expected] of manifest.entries) {
    // A manifest cannot hold its own digest or its signatures' (`sha256sum * > manifest`).
    if (isSideFile(path, manifestName)) continue;
    const file = files.get(path);
    if (!file) {
      files.set(path, {
        path,
        expectedSha256: expected,
        status: 'missing',
        kind: kindOf(path, manifestName, summaryPath),
        text: false,
        findings: [],
      });
      reasons.push({
        code: 'file-missing',
        path,
        message: `${path} is listed in ${manifestName} but not in the packet`,
      });
      continue;
    }
    if (file.status === 'unsafe') continue;
    file.expectedSha256 = expected;
    if (file.sha256 === expected) {
      file.status = 'ok';
    } else {
      file.status = 'modified';
      reasons.push({
        code: 'file-modified',
        path,
        message: `${path} does not match its sha256 in ${manifestName}`,
      });
    }
  }
  for (const file of files.values()) {
    if (file.status === 'extra') {
      reasons.push({
        code: 'file-extra',
        path: file.path,
        message: `${file.path} is in the packet but not in ${manifestName}`,
      });
    }
  }
  return reasons;
}

/** Detached signatures over the manifest's exact bytes, against the key ring. */
export async function checkSignatures(
  scan: PacketScan,
  manifestName: string,
  manifestBytes: Buffer,
  keyring: Keyring,
): Promise<{ signatures: PacketSignature[]; reasons: VerdictReason[] }> {
  const signatures: PacketSignature[] = [];
  const reasons: VerdictReason[] = [];
  const signatureFiles = scan.regular.filter(e =>
    isSignatureFile(e.path, manifestName),
  );
  if (signatureFiles.length === 0) {
    reasons.push({
      code: 'signature-missing',
      message: `${manifestName} has no detached signature (${manifestName}.asc or ${SIGNATURES_DIR}/*.asc)`,
    });
  }
  for (const entry of signatureFiles) {
    const bytes = await readSmall(entry.realPath!, MAX_SIDE_FILE_BYTES);
    const result = bytes
      ? await verifySignatureFile({
          file: entry.path,
          signatureBytes: bytes,
          manifestBytes,
          keyring,
        })
      : { unreadable: tooLarge(MAX_SIDE_FILE_BYTES) };
    if ('unreadable' in result) {
      reasons.push({
        code: 'signature-invalid',
        path: entry.path,
        message: `${entry.path} ${result.unreadable}`,
      });
      continue;
    }
    for (const sig of result) {
      signatures.push(sig);
      if (sig.status === 'invalid') {
        reasons.push({
          code: 'signature-invalid',
          path: entry.path,
          message: `the signature in ${entry.path} by key ${sig.keyId} (registered to ${sig.signer}) does not verify over ${manifestName}: forged, or made over another manifest`,
        });
      } else if (sig.status === 'unknown-key') {
        reasons.push({
          code: 'signer-unknown',
          path: entry.path,
          message: `the signature in ${entry.path} was made by key ${sig.keyId}, which is registered to no catalog user or group`,
        });
      }
    }
  }
  return { signatures, reasons };
}

/** The reason each timestamp status other than `valid` gives the packet. */
const TIMESTAMP_REASONS = {
  invalid: 'timestamp-invalid',
  untrusted: 'timestamp-untrusted',
  unusable: 'timestamp-unusable',
} as const;

/** RFC 3161 timestamps over the manifest's exact bytes (optional). */
export async function checkTimestamps(
  scan: PacketScan,
  manifestName: string,
  manifestBytes: Buffer,
  trust: TimestampTrust,
): Promise<{ timestamps: PacketTimestamp[]; reasons: VerdictReason[] }> {
  const timestamps: PacketTimestamp[] = [];
  const reasons: VerdictReason[] = [];
  for (const entry of scan.regular.filter(e =>
    isTimestampFile(e.path, manifestName),
  )) {
    const bytes = await readSmall(entry.realPath!, MAX_SIDE_FILE_BYTES);
    const outcome = bytes
      ? await verifyTimestamp({ tokenBytes: bytes, manifestBytes, trust })
      : {
          status: 'unusable' as const,
          problem: tooLarge(MAX_SIDE_FILE_BYTES),
        };
    timestamps.push({ file: entry.path, ...outcome });
    if (outcome.status === 'valid') continue;
    reasons.push({
      code: TIMESTAMP_REASONS[outcome.status],
      path: entry.path,
      message: `the timestamp ${entry.path} ${outcome.problem}`,
    });
  }
  return { timestamps, reasons };
}

/** packet.json, when there is one; it may ask for more signers. */
export async function checkMetadata(
  scan: PacketScan,
): Promise<{ metadata?: PacketMetadata; reasons: VerdictReason[] }> {
  const entry = scan.byPath.get(PACKET_METADATA_FILE);
  if (entry?.type !== 'file') return { reasons: [] };
  const raw = await readSmall(entry.realPath!, MAX_SIDE_FILE_BYTES);
  let problem: string | undefined;
  let metadata: PacketMetadata | undefined;
  if (!raw) {
    problem = tooLarge(MAX_SIDE_FILE_BYTES);
  } else {
    try {
      const parsed = packetMetadataSchema.safeParse(
        JSON.parse(raw.toString('utf8')),
        { error: fabricErrorMap },
      );
      if (parsed.success) metadata = parsed.data;
      else problem = formatZodError(parsed.error);
    } catch (error) {
      problem = `is not JSON (${(error as Error).message})`;
    }
  }
  if (!problem) return { metadata, reasons: [] };
  return {
    reasons: [
      {
        code: 'metadata-invalid',
        path: PACKET_METADATA_FILE,
        message: `${PACKET_METADATA_FILE} ${problem}`,
      },
    ],
  };
}

/** Distinct valid signers against the number needed (dual control). */
export function checkSigners(
  signatures: PacketSignature[],
  requiredSigners: number,
): { signers: string[]; reasons: VerdictReason[] } {
  const signers = [
    ...new Set(
      signatures.filter(s => s.status === 'valid').map(s => s.signer!),
    ),
  ].sort();
  if (signers.length === 0 || signers.length >= requiredSigners) {
    return { signers, reasons: [] };
  }
  return {
    signers,
    reasons: [
      {
        code: 'dual-control-unmet',
        message: `${signers.length} of ${requiredSigners} distinct signers; dual control needs signatures by ${requiredSigners} different people`,
      },
    ],
  };
}

/** Secret-like values found while hashing; the value itself is never repeated. */
export function checkSecrets(files: Iterable<VerifiedFile>): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  for (const file of files) {
    if (file.findings.length === 0) continue;
    const rules = [...new Set(file.findings.map(f => f.rule))].join(', ');
    const lines = file.findings
      .slice(0, 10)
      .map(f => f.line)
      .join(', ');
    reasons.push({
      code: 'secret-found',
      path: file.path,
      message: `${file.path} holds ${file.findings.length} secret-like value(s) (${rules}) at line(s) ${lines}; the value is never shown. Redact it at the source and write a new packet`,
    });
  }
  return reasons;
}

export function checkSummary(summaryPath: string | undefined): VerdictReason[] {
  if (summaryPath) return [];
  return [
    {
      code: 'summary-missing',
      message: `no summary (${SUMMARY_FILES.join(', ')})`,
    },
  ];
}
