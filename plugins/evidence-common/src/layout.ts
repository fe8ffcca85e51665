/**
 * The layout of an evidence packet, as the organisation's tooling writes it:
 *
 * ```
 * evidence/<area>/<subject...>/<UTC timestamp>/
 *   summary.md                      what was proved, by whom, with which result (required)
 *   packet.json                     optional metadata (title, tenant, entities, result, kind, ...)
 *   steps/<NN-name>/stdout.log      per-step output ...
 *   steps/<NN-name>/stderr.log
 *   steps/<NN-name>/exit_code       ... and exit code
 *   <check>/steps/<NN-name>/...     the same, grouped by check in a packet of several checks,
 *                                   e.g. a tenant packet evidence/tenants/<tenant>/<UTC>/ with
 *                                   substrate-capacity/ (seed 000, Phase 11 Part 3)
 *   manifest.sha256                 `sha256sum` of every other file (or manifest.json)
 *   manifest.sha256.asc             detached OpenPGP signature(s) over the manifest
 *   signatures/<signer>.asc         more detached signatures (dual control: two signers)
 *   manifest.sha256.tsr             optional RFC 3161 timestamp token over the manifest
 * ```
 */

/** The GNU coreutils manifest: `sha256sum` output, paths relative to the packet. */
export const MANIFEST_SHA256 = 'manifest.sha256';
/** The JSON manifest, used when there is no {@link MANIFEST_SHA256}. */
export const MANIFEST_JSON = 'manifest.json';
/** Optional metadata of the packet. */
export const PACKET_METADATA_FILE = 'packet.json';
/** Accepted names of the summary, first match wins. */
export const SUMMARY_FILES = ['summary.md', 'SUMMARY.md', 'summary.txt'];
/** Folder of per-step output. */
export const STEPS_DIR = 'steps';
/** The one step layout: `steps/<NN-name>/` (or `<check>/steps/<NN-name>/`) holding these. */
export const STEP_FILES = {
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  exitCode: 'exit_code',
} as const;
/** Check folders of a tenant packet `evidence/tenants/<tenant>/<UTC>/<check>/` (seed 000). */
export const TENANT_PACKET_CHECKS = [
  'substrate-capacity',
  'substrate-observe',
] as const;
/** Folder of extra detached signatures. */
export const SIGNATURES_DIR = 'signatures';

/**
 * Annotation on a catalog entity listing the packets that belong to it, as
 * comma-separated `<area>` or `<area>/<subject prefix>` entries, e.g.
 * `milestones/phase1-12, images/vm`. Tenants need none: packets whose subject
 * names them (or whose packet.json does) link to them by themselves.
 */
export const EVIDENCE_ANNOTATION = 'fabric.samakia.io/evidence';

/** An area or subject segment: letters, digits, dot, dash, underscore. */
export const SEGMENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const TIMESTAMP_PATTERN =
  /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2})[:-]?(\d{2})[:-]?(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Parses a packet folder name that is a UTC timestamp: `2026-01-02T17:07:50Z`,
 * `2026-01-02T17-07-50Z` (no colons) or `20260102T170750Z`, with optional
 * fractions. Returns the canonical ISO form (milliseconds), or undefined.
 */
export function parsePacketTimestamp(name: string): string | undefined {
  const m = TIMESTAMP_PATTERN.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms));
  // Reject 2026-02-30 and friends, which Date.UTC would roll over.
  if (
    date.getUTCFullYear() !== +y ||
    date.getUTCMonth() !== +mo - 1 ||
    date.getUTCDate() !== +d ||
    date.getUTCHours() !== +h ||
    date.getUTCMinutes() !== +mi ||
    date.getUTCSeconds() !== +s
  ) {
    return undefined;
  }
  return date.toISOString();
}

/** The folder name the portal gives a packet stored from an upload: `2026-01-02T17:07:50Z`. */
export function packetFolderName(isoTimestamp: string): string {
  return isoTimestamp.replace(/\.000Z$/, 'Z');
}

/** The key citing a packet, as acceptance markers write it: `<area>/<subject>/<timestamp>`. */
export function packetKey(parts: {
  area: string;
  subject?: string;
  timestamp: string;
}): string {
  return [parts.area, parts.subject, packetFolderName(parts.timestamp)]
    .filter(Boolean)
    .join('/');
}

/** Parses one `<area>[/<subject prefix>]` entry of {@link EVIDENCE_ANNOTATION}. */
export function parseEvidenceAnnotation(
  value: string | undefined,
): Array<{ area: string; subjectPrefix?: string }> {
  if (!value) return [];
  return value
    .split(/[,\s]+/)
    .map(v =>
      v
        .trim()
        .replace(/^evidence\//, '')
        .replace(/\/+$/, ''),
    )
    .filter(Boolean)
    .map(v => v.split('/'))
    .filter(segments => segments.every(s => SEGMENT_PATTERN.test(s)))
    .map(([area, ...rest]) =>
      rest.length ? { area, subjectPrefix: rest.join('/') } : { area },
    );
}
