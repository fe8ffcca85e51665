/**
 * A packet's verdict, worst first. The verdict is the worst verdict any
 * reason carries; a packet without reasons is `verified`.
 *
 * - `tampered`: a file differs from the manifest, a signature does not verify
 *   against the key it names, an RFC 3161 timestamp was made over other
 *   content than the manifest or its signature does not verify, or the packet
 *   holds something unsafe (a symlink leaving it, a manifest path outside it);
 * - `redaction-failed`: secret-like content (private key, token, password
 *   value) in some file; the secret itself is never stored or shown;
 * - `incomplete`: no manifest, files missing from or not covered by it, no
 *   summary, unreadable metadata, a timestamp file that is no usable token;
 * - `unsigned`: consistent, but no signature by a key registered to a catalog
 *   user or group, fewer distinct signers than dual control needs, or a
 *   timestamp by an authority the portal is not configured to trust;
 * - `verified`: everything checked out.
 */
export const VERDICTS = [
  'tampered',
  'redaction-failed',
  'incomplete',
  'unsigned',
  'verified',
] as const;

export type Verdict = (typeof VERDICTS)[number];

/** Why a packet is not verified; each code belongs to exactly one verdict. */
export const REASON_VERDICTS = {
  'file-modified': 'tampered',
  'signature-invalid': 'tampered',
  'unsafe-entry': 'tampered',
  'timestamp-invalid': 'tampered',
  'secret-found': 'redaction-failed',
  'manifest-missing': 'incomplete',
  'manifest-invalid': 'incomplete',
  'file-missing': 'incomplete',
  'file-extra': 'incomplete',
  'summary-missing': 'incomplete',
  'metadata-invalid': 'incomplete',
  'packet-removed': 'incomplete',
  'too-many-files': 'incomplete',
  'timestamp-unusable': 'incomplete',
  'signature-missing': 'unsigned',
  'signer-unknown': 'unsigned',
  'dual-control-unmet': 'unsigned',
  'timestamp-untrusted': 'unsigned',
} as const satisfies Record<string, Exclude<Verdict, 'verified'>>;

export type ReasonCode = keyof typeof REASON_VERDICTS;

export const REASON_CODES = Object.keys(REASON_VERDICTS) as ReasonCode[];

/** One finding of the verifier. Messages never quote file contents. */
export interface VerdictReason {
  code: ReasonCode;
  /** A sentence for people: what is wrong and, where it helps, what to do. */
  message: string;
  /** The packet-relative file concerned, if any. */
  path?: string;
}

/** The worst verdict among the reasons; `verified` when there are none. */
export function verdictOf(
  reasons: ReadonlyArray<Pick<VerdictReason, 'code'>>,
): Verdict {
  let worst = VERDICTS.indexOf('verified');
  for (const reason of reasons) {
    worst = Math.min(worst, VERDICTS.indexOf(REASON_VERDICTS[reason.code]));
  }
  return VERDICTS[worst];
}
