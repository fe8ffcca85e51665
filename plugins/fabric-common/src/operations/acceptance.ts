/**
 * Acceptance and guard targets (e.g. `minio.quorum.guard`) a plane or service
 * names, and how their latest runs (evidence packets) become a health verdict.
 */

/**
 * Annotation listing the targets whose runs prove an entity healthy, comma
 * separated. A bare target's runs are packets under `acceptance/<target>/`;
 * `target=<area>/<subject>` names another place, e.g.
 * `minio.sdn.accept, milestone.phase1-12.verify=milestones/phase1-12`.
 */
export const FABRIC_ANNOTATION_ACCEPTANCE_TARGETS =
  'fabric.samakia.io/acceptance-targets';

/** The evidence area of runs of a bare target. */
export const ACCEPTANCE_AREA = 'acceptance';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface AcceptanceTarget {
  target: string;
  area: string;
  subject: string;
}

/** Parses {@link FABRIC_ANNOTATION_ACCEPTANCE_TARGETS}; malformed entries are reported, not guessed. */
export function parseAcceptanceTargets(value: string | undefined): {
  targets: AcceptanceTarget[];
  problems: string[];
} {
  const targets: AcceptanceTarget[] = [];
  const problems: string[] = [];
  for (const raw of (value ?? '').split(',').map(v => v.trim())) {
    if (!raw) continue;
    const [target, location, ...rest] = raw.split('=');
    const [area, ...subject] = (location ?? '').split('/');
    const ok =
      rest.length === 0 &&
      SEGMENT.test(target) &&
      (location === undefined ||
        (SEGMENT.test(area) &&
          subject.length > 0 &&
          subject.every(s => SEGMENT.test(s))));
    if (!ok) {
      problems.push(
        `'${raw}' is not a target; write <target> or <target>=<area>/<subject>, e.g. minio.quorum.guard`,
      );
      continue;
    }
    targets.push(
      location === undefined
        ? { target, area: ACCEPTANCE_AREA, subject: target }
        : { target, area, subject: subject.join('/') },
    );
  }
  return { targets, problems };
}

/** One run of a target as the evidence index knows it. */
export interface AcceptanceRun {
  packetId: string;
  area: string;
  subject?: string;
  /** The packet's UTC timestamp (ISO 8601). */
  timestamp: string;
  /** What the run says about itself (packet.json `result`), e.g. PASS. */
  result?: string;
  /** What the evidence verifier says about the packet. */
  verdict: string;
  /** Facts the run observed (packet.json `observations`), e.g. vipHolder. */
  observations?: Record<string, string>;
}

/**
 * - `pass`: the latest run passed, its packet is intact and not older than the limit;
 * - `stale`: it passed but is older than the limit;
 * - `fail`: the latest run did not pass;
 * - `untrusted`: its packet is tampered, incomplete or holds secrets, or is dated in the
 *   future (it would never go stale), so its claim is not believed;
 * - `missing`: no run at all.
 */
export type AcceptanceStatus =
  | 'pass'
  | 'stale'
  | 'fail'
  | 'untrusted'
  | 'missing';

export interface TargetHealth extends AcceptanceTarget {
  status: AcceptanceStatus;
  latest?: AcceptanceRun & { ageMs: number };
}

export interface Observation {
  value: string;
  target: string;
  timestamp: string;
}

export interface AcceptanceHealth {
  /** The worst status over all targets (`missing` when there are none). */
  status: AcceptanceStatus;
  staleAfterMs: number;
  targets: TargetHealth[];
  /** The newest trustworthy value of each observation key, e.g. quorum, vipHolder. */
  observations: Record<string, Observation>;
}

/** Evidence verdicts under which a packet's own claims are not believed. */
const DISTRUSTED_VERDICTS = new Set([
  'tampered',
  'redaction-failed',
  'incomplete',
]);
/** Clocks drift; a packet a little ahead of ours is still believed. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const ORDER: AcceptanceStatus[] = [
  'pass',
  'stale',
  'missing',
  'fail',
  'untrusted',
];

function trusted(run: AcceptanceRun, now: number): boolean {
  return (
    !DISTRUSTED_VERDICTS.has(run.verdict) &&
    Date.parse(run.timestamp) <= now + FUTURE_TOLERANCE_MS
  );
}

/**
 * The health of an entity from the runs of its targets: each target's latest
 * run decides its status. Pure: `now` and the limit come from the caller.
 */
export function computeAcceptanceHealth(
  targets: AcceptanceTarget[],
  runs: AcceptanceRun[],
  now: Date,
  staleAfterMs: number,
): AcceptanceHealth {
  const nowMs = now.getTime();
  const observations: Record<string, Observation> = {};
  const health = targets.map((t): TargetHealth => {
    const own = runs
      .filter(r => r.area === t.area && (r.subject ?? '') === t.subject)
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    const latest = own[0];
    if (!latest) return { ...t, status: 'missing' };
    const ageMs = nowMs - Date.parse(latest.timestamp);
    let status: AcceptanceStatus;
    if (!trusted(latest, nowMs)) status = 'untrusted';
    else if (latest.result?.toUpperCase() !== 'PASS') status = 'fail';
    else if (ageMs > staleAfterMs) status = 'stale';
    else status = 'pass';
    // Observations only from a run whose packet is believed.
    if (status !== 'untrusted') {
      for (const [key, value] of Object.entries(latest.observations ?? {})) {
        const seen = observations[key];
        if (
          !seen ||
          Date.parse(seen.timestamp) < Date.parse(latest.timestamp)
        ) {
          observations[key] = {
            value,
            target: t.target,
            timestamp: latest.timestamp,
          };
        }
      }
    }
    return { ...t, status, latest: { ...latest, ageMs } };
  });
  const status =
    health.length === 0
      ? 'missing'
      : health
          .map(h => h.status)
          .reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a));
  return { status, staleAfterMs, targets: health, observations };
}
