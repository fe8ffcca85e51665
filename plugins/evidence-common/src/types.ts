import type { Verdict, VerdictReason } from './verdicts';

/**
 * Where the OpenPGP key that made a signature is registered: always the signing-key registry
 * (keys from catalog annotations and configuration are no longer trusted).
 */
export type KeySource = 'registered';

/** One signature over a packet's manifest. */
export interface PacketSignature {
  /** The signature file, packet-relative. */
  file: string;
  /** `valid`: verifies with a registered key; `invalid`: does not; `unknown-key`: no registered key has its key id. */
  status: 'valid' | 'invalid' | 'unknown-key';
  /** Issuer key id (16 hex digits). */
  keyId: string;
  /** Catalog user or group the key is registered to. */
  signer?: string;
  fingerprint?: string;
  keySource?: KeySource;
  /** Creation time written in the signature (ISO). */
  signedAt?: string;
}

/**
 * An RFC 3161 timestamp token over a packet's manifest (`manifest.sha256.tsr`):
 * a time-stamping authority's signed statement that the manifest existed then.
 */
export interface PacketTimestamp {
  /** The token file, packet-relative. */
  file: string;
  /**
   * `valid`: made over this manifest, signed by a configured authority;
   * `invalid`: made over other content, or its signature does not verify;
   * `untrusted`: consistent, but the signer is no configured authority;
   * `unusable`: not a readable token, refused by the authority, or a weak hash.
   */
  status: 'valid' | 'invalid' | 'untrusted' | 'unusable';
  /** When the authority saw the manifest (genTime, ISO). */
  time?: string;
  /** Subject of the certificate that signed the token. */
  tsa?: string;
  /** Name of the configured authority it chains to (`valid` only). */
  authority?: string;
  /** Hash of the manifest inside the token, e.g. SHA-256. */
  hashAlgorithm?: string;
  /** The token's serial number (hex), unique per authority. */
  serialNumber?: string;
  /** TSA policy OID. */
  policy?: string;
  /** Why it is not `valid`, in words. */
  problem?: string;
}

export type PacketFileStatus =
  | 'ok'
  | 'modified'
  | 'missing'
  | 'extra'
  | 'meta'
  | 'unsafe';

export type PacketFileKind =
  | 'summary'
  | 'log'
  | 'manifest'
  | 'signature'
  | 'timestamp'
  | 'metadata'
  | 'other';

/** Where a secret-like value was found; never the value itself. */
export interface SecretFinding {
  /** Rule id, e.g. `private-key`, `github-token`, `password-assignment`. */
  rule: string;
  /** 1-based line. */
  line: number;
}

export interface PacketFile {
  path: string;
  /** Bytes on disk (absent when missing). */
  size?: number;
  /** sha256 of the content on disk. */
  sha256?: string;
  /** sha256 the manifest lists. */
  expectedSha256?: string;
  status: PacketFileStatus;
  kind: PacketFileKind;
  /** Whether the file looks like text (previewable). */
  text: boolean;
  findings: SecretFinding[];
}

/** One step of the run that produced the packet (`steps/<name>/`). */
export interface PacketStep {
  name: string;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

/** An acceptance marker file that cites the packet. */
export interface AcceptanceMarker {
  /** `root:<name>` of the root it was found in. */
  source: string;
  /** Root-relative path, e.g. `acceptance/PHASE11_PART3_ACCEPTED.md`. */
  path: string;
  /** Its first heading, or the file name. */
  title: string;
}

/** A packet as the index holds it. */
export interface EvidencePacket {
  id: string;
  /** `upload`, or `root:<name>` for a configured filesystem root. */
  source: string;
  /** Source-relative folder, e.g. `evidence/tenants/project-birds/2026-01-02T17:07:50Z`. */
  path: string;
  /** `<area>/<subject>/<timestamp>`, what acceptance markers cite. */
  key: string;
  area: string;
  subject?: string;
  /** Canonical ISO UTC. */
  timestamp: string;
  /** Canonical tenant ref, lower-case. */
  tenant?: string;
  /** Entities the packet links to by itself (its tenant, packet.json `entities`). */
  entityRefs: string[];
  title?: string;
  /** packet.json `result`, e.g. PASS / FAIL. */
  result?: string;
  /** packet.json `kind`: what the packet says it is, e.g. eval-report. */
  kind?: string;
  verdict: Verdict;
  reasons: VerdictReason[];
  signatures: PacketSignature[];
  /** RFC 3161 timestamps over the manifest, if the packet carries any. */
  timestamps: PacketTimestamp[];
  /** Distinct catalog signers with a valid signature. */
  signers: string[];
  requiredSigners: number;
  manifestFormat?: 'sha256sum' | 'json';
  manifestSha256?: string;
  fileCount: number;
  totalBytes: number;
  indexedAt: string;
  verifiedAt: string;
}

export interface EvidencePacketView extends EvidencePacket {
  files: PacketFile[];
  steps: PacketStep[];
  markers: AcceptanceMarker[];
  summary?: FilePreview;
}

export interface PacketList {
  items: EvidencePacket[];
  total: number;
}

/** A text file of a packet, secret-like values masked. */
export interface FilePreview {
  path: string;
  text: string;
  /** Only the first part of the file is shown. */
  truncated: boolean;
  /** Some values were replaced by `[REDACTED:<rule>]`. */
  masked: boolean;
  findings: SecretFinding[];
}

export interface UploadResult {
  /** false when the very same packet was already stored (idempotent re-upload). */
  created: boolean;
  packet: EvidencePacket;
}

export interface RescanResult {
  roots: number;
  scanned: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  markers: number;
  errors: Array<{ source: string; path: string; message: string }>;
  durationMs: number;
}

export interface EvidenceFacets {
  areas: string[];
}
