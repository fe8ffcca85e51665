import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  MANIFEST_JSON,
  MANIFEST_SHA256,
  PACKET_METADATA_FILE,
  PacketFile,
  PacketFileKind,
  PacketMetadata,
  PacketSignature,
  PacketStep,
  PacketTimestamp,
  SIGNATURES_DIR,
  STEPS_DIR,
  SUMMARY_FILES,
  Verdict,
  VerdictReason,
  packetMetadataSchema,
  verdictOf,
} from '@internal/plugin-evidence-common';
import { hashAndScanFile } from './hashing';
import { compareStrings } from './paths';
import { maskSecrets } from './redaction';
import { ParsedManifest, parseJsonManifest, parseSha256Sums } from './manifest';
import { Keyring, verifySignatureFile } from './signatures';
import { TimestampTrust, verifyTimestamp } from './timestamps';
import { WalkedEntry, fingerprintOf, walkPacket } from './walk';

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

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_SIDE_FILE_BYTES = 1024 * 1024;
const MAX_REASONS_PER_CODE = 50;

/** Files made after the manifest: never listed in it, never counted as extra. */
function isSideFile(path: string, manifest: string | undefined): boolean {
  if (
    manifest &&
    [manifest, `${manifest}.asc`, `${manifest}.sig`].includes(path)
  ) {
    return true;
  }
  if (isTimestampFile(path, manifest)) return true;
  return path.startsWith(`${SIGNATURES_DIR}/`) && /\.(asc|sig)$/.test(path);
}

/** The reason each timestamp status other than `valid` gives the packet. */
const TIMESTAMP_REASONS = {
  invalid: 'timestamp-invalid',
  untrusted: 'timestamp-untrusted',
  unusable: 'timestamp-unusable',
} as const;

/** RFC 3161 tokens over the manifest (`openssl ts -reply ... -out manifest.sha256.tsr`). */
function isTimestampFile(path: string, manifest: string | undefined): boolean {
  return path === 'timestamp.tsr' || (!!manifest && path === `${manifest}.tsr`);
}

function isSignatureFile(path: string, manifest: string): boolean {
  return (
    path === `${manifest}.asc` ||
    path === `${manifest}.sig` ||
    (path.startsWith(`${SIGNATURES_DIR}/`) && /\.(asc|sig)$/.test(path))
  );
}

function kindOf(
  path: string,
  manifest: string | undefined,
  summary?: string,
): PacketFileKind {
  if (path === manifest) return 'manifest';
  if (path === summary) return 'summary';
  if (path === PACKET_METADATA_FILE) return 'metadata';
  if (path.endsWith('.tsr')) return 'timestamp';
  if (manifest && isSignatureFile(path, manifest)) return 'signature';
  if (
    /\.(log|out|err|txt)$/.test(path) ||
    /(^|\/)(stdout|stderr|exit_code|exit-code|exitcode|rc)$/.test(path)
  ) {
    return 'log';
  }
  return 'other';
}

async function readSmall(
  realPath: string,
  limit: number,
): Promise<Buffer | undefined> {
  const stat = await fs.promises.stat(realPath);
  if (stat.size > limit) return undefined;
  return fs.promises.readFile(realPath);
}

async function mapPool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, concurrency) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Per-step output under `steps/<name>/` or, in a packet of several checks (a tenant packet's
 * `substrate-capacity/`), `<check>/steps/<name>/`: stdout, stderr and the exit code. Such a
 * step is named `<check>/<name>`.
 */
async function stepsOf(entries: WalkedEntry[]): Promise<PacketStep[]> {
  const steps = new Map<string, PacketStep>();
  const pattern = new RegExp(`^(?:([^/]+)/)?${STEPS_DIR}/([^/]+)/(.+)$`);
  for (const entry of entries) {
    const m = pattern.exec(entry.path);
    if (!m || entry.type !== 'file') continue;
    const [, check, stepName, file] = m;
    const name = check ? `${check}/${stepName}` : stepName;
    const step = steps.get(name) ?? { name };
    steps.set(name, step);
    if (
      /^(exit_code|exit-code|exitcode|rc)(\.txt)?$/.test(file) &&
      entry.realPath
    ) {
      const raw = await readSmall(entry.realPath, 64);
      const code = raw ? Number.parseInt(raw.toString('utf8').trim(), 10) : NaN;
      if (Number.isInteger(code)) step.exitCode = code;
    } else if (/stdout/.test(file)) {
      step.stdout = entry.path;
    } else if (/stderr/.test(file)) {
      step.stderr = entry.path;
    }
  }
  return [...steps.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Verifies one packet folder without changing anything in it: every file is
 * hashed and scanned for secrets in one streaming pass, compared with the
 * manifest (missing, extra, modified), the manifest's detached signatures are
 * checked against the key ring, and the verdict is the worst finding.
 */
export async function verifyPacket(
  dir: string,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const reasons: VerdictReason[] = [];
  const counts = new Map<string, number>();
  const reason = (r: VerdictReason) => {
    const n = counts.get(r.code) ?? 0;
    counts.set(r.code, n + 1);
    // Messages quote paths and tool errors, which are the packet's own text: mask them too.
    if (n < MAX_REASONS_PER_CODE) {
      reasons.push({ ...r, message: maskSecrets(r.message).text });
    }
  };

  let realDir: string;
  try {
    realDir = await fs.promises.realpath(dir);
  } catch {
    return removedPacket(options.requiredSigners);
  }
  const walk = await walkPacket(realDir, { maxFiles: options.maxFiles });
  if (walk.truncated) {
    reason({
      code: 'too-many-files',
      message: `the packet holds more than ${options.maxFiles} files; only the first ones were verified`,
    });
  }
  const byPath = new Map(walk.entries.map(e => [e.path, e]));
  const isFile = (p: string) => byPath.get(p)?.type === 'file';

  // manifest.sha256 wins when both exist; the JSON file is then an ordinary file.
  let manifestName: string | undefined;
  if (isFile(MANIFEST_SHA256)) manifestName = MANIFEST_SHA256;
  else if (isFile(MANIFEST_JSON)) manifestName = MANIFEST_JSON;
  const summaryPath = SUMMARY_FILES.find(isFile);

  const regular = walk.entries.filter(e => e.type === 'file');
  const hashed = await mapPool(regular, options.concurrency ?? 1, e =>
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
    reason({
      code: 'unsafe-entry',
      path: entry.path,
      message: `${entry.path} ${entry.problem}; it was not read`,
    });
  }

  // The manifest: what should be there, with which digest.
  let manifest: ParsedManifest | undefined;
  let manifestBytes: Buffer | undefined;
  let manifestSha256: string | undefined;
  if (!manifestName) {
    reason({
      code: 'manifest-missing',
      message: `no ${MANIFEST_SHA256} (sha256sum output) or ${MANIFEST_JSON}; nothing in the packet can be checked`,
    });
  } else {
    manifestBytes = await readSmall(
      byPath.get(manifestName)!.realPath!,
      MAX_MANIFEST_BYTES,
    );
    if (!manifestBytes) {
      reason({
        code: 'manifest-invalid',
        path: manifestName,
        message: `${manifestName} is larger than ${MAX_MANIFEST_BYTES} bytes`,
      });
    } else {
      manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
      const text = manifestBytes.toString('utf8');
      manifest =
        manifestName === MANIFEST_SHA256
          ? parseSha256Sums(text)
          : parseJsonManifest(text);
    }
  }

  if (manifest && manifestName) {
    if (manifest.problems.length > 0) {
      reason({
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
      reason({
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
        reason({
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
        reason({
          code: 'file-modified',
          path,
          message: `${path} does not match its sha256 in ${manifestName}`,
        });
      }
    }
    for (const file of files.values()) {
      if (file.status === 'extra') {
        reason({
          code: 'file-extra',
          path: file.path,
          message: `${file.path} is in the packet but not in ${manifestName}`,
        });
      }
    }
  }

  // Signatures over the manifest's exact bytes.
  const signatures: PacketSignature[] = [];
  if (manifestName && manifestBytes) {
    const signatureFiles = regular.filter(e =>
      isSignatureFile(e.path, manifestName),
    );
    if (signatureFiles.length === 0) {
      reason({
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
            keyring: options.keyring,
          })
        : { unreadable: `is larger than ${MAX_SIDE_FILE_BYTES} bytes` };
      if ('unreadable' in result) {
        reason({
          code: 'signature-invalid',
          path: entry.path,
          message: `${entry.path} ${result.unreadable}`,
        });
        continue;
      }
      for (const sig of result) {
        signatures.push(sig);
        if (sig.status === 'invalid') {
          reason({
            code: 'signature-invalid',
            path: entry.path,
            message: `the signature in ${entry.path} by key ${sig.keyId} (registered to ${sig.signer}) does not verify over ${manifestName}: forged, or made over another manifest`,
          });
        } else if (sig.status === 'unknown-key') {
          reason({
            code: 'signer-unknown',
            path: entry.path,
            message: `the signature in ${entry.path} was made by key ${sig.keyId}, which is registered to no catalog user or group`,
          });
        }
      }
    }
  }

  // RFC 3161 timestamps over the manifest's exact bytes (optional).
  const timestamps: PacketTimestamp[] = [];
  if (manifestName && manifestBytes) {
    const trust = options.timestampTrust ?? TimestampTrust.empty();
    for (const entry of regular.filter(e =>
      isTimestampFile(e.path, manifestName),
    )) {
      const bytes = await readSmall(entry.realPath!, MAX_SIDE_FILE_BYTES);
      const outcome = bytes
        ? await verifyTimestamp({ tokenBytes: bytes, manifestBytes, trust })
        : {
            status: 'unusable' as const,
            problem: `is larger than ${MAX_SIDE_FILE_BYTES} bytes`,
          };
      timestamps.push({ file: entry.path, ...outcome });
      if (outcome.status === 'valid') continue;
      reason({
        code: TIMESTAMP_REASONS[outcome.status],
        path: entry.path,
        message: `the timestamp ${entry.path} ${outcome.problem}`,
      });
    }
  }

  // Metadata first: it may ask for more signers.
  let metadata: PacketMetadata | undefined;
  if (isFile(PACKET_METADATA_FILE)) {
    const raw = await readSmall(
      byPath.get(PACKET_METADATA_FILE)!.realPath!,
      MAX_SIDE_FILE_BYTES,
    );
    let problem: string | undefined;
    if (!raw) {
      problem = `is larger than ${MAX_SIDE_FILE_BYTES} bytes`;
    } else {
      try {
        const parsed = packetMetadataSchema.safeParse(
          JSON.parse(raw.toString('utf8')),
        );
        if (parsed.success) metadata = parsed.data;
        else
          problem = parsed.error.issues
            .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ');
      } catch (error) {
        problem = `is not JSON (${(error as Error).message})`;
      }
    }
    if (problem) {
      reason({
        code: 'metadata-invalid',
        path: PACKET_METADATA_FILE,
        message: `${PACKET_METADATA_FILE} ${problem}`,
      });
    }
  }

  const requiredSigners = Math.max(
    options.requiredSigners,
    metadata?.requiredSigners ?? 1,
  );
  const signers = [
    ...new Set(
      signatures.filter(s => s.status === 'valid').map(s => s.signer!),
    ),
  ].sort();
  if (signers.length > 0 && signers.length < requiredSigners) {
    reason({
      code: 'dual-control-unmet',
      message: `${signers.length} of ${requiredSigners} distinct signers; dual control needs signatures by ${requiredSigners} different people`,
    });
  }

  for (const file of files.values()) {
    if (file.findings.length === 0) continue;
    const rules = [...new Set(file.findings.map(f => f.rule))].join(', ');
    const lines = file.findings
      .slice(0, 10)
      .map(f => f.line)
      .join(', ');
    reason({
      code: 'secret-found',
      path: file.path,
      message: `${file.path} holds ${file.findings.length} secret-like value(s) (${rules}) at line(s) ${lines}; the value is never shown. Redact it at the source and write a new packet`,
    });
  }

  if (!summaryPath) {
    reason({
      code: 'summary-missing',
      message: `no summary (${SUMMARY_FILES.join(', ')})`,
    });
  }

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
    manifestSha256,
    contentDigest: content.digest('hex'),
    fingerprint: fingerprintOf(walk),
    summaryPath,
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
