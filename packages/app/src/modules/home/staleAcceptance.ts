import type { ForYouItem } from './forYouSummary';

/**
 * What the home page needs of a plane's health from evidence (GET /api/fabric-ops/health, the
 * same answer as the plane's "Health from evidence" card): the limit after which a passing run
 * is stale (`fabricOps.acceptance.staleAfterHours`) and each target's status.
 */
export interface AcceptanceHealthLike {
  staleAfterMs: number;
  targets: Array<{
    target: string;
    status: string;
    latest?: { ageMs: number };
  }>;
}

/** A plane naming acceptance targets, with its health or why it could not be read. */
export interface PlaneAcceptance {
  /** Entity ref, e.g. `plane:default/dns`. */
  ref: string;
  title: string;
  health?: AcceptanceHealthLike;
  error?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_LINKED = 5;

/** `7 days`, `1 day`, `36 hours`: the limit as configured, never rounded. */
export function formatLimit(ms: number): string {
  if (ms % DAY === 0) {
    const days = ms / DAY;
    return days === 1 ? '1 day' : `${days} days`;
  }
  const hours = Math.round(ms / HOUR);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** `/catalog/default/plane/dns` for `plane:default/dns`. */
export function entityPath(ref: string): string {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!match) return '/catalog';
  const [, kind, namespace, name] = match;
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}

/**
 * "Acceptance older than N days": the planes whose latest passing acceptance run of at least
 * one target is older than the configured limit (status `stale`), each linked to its page (the
 * health card names the target and its age), the oldest first. A failing, untrusted or missing
 * run is not stale acceptance: the plane's health card and drift report those.
 */
export function staleAcceptanceItem(planes: PlaneAcceptance[]): ForYouItem {
  const limit = planes.find(p => p.health)?.health?.staleAfterMs;
  const stale = planes
    .map(p => {
      const targets = (p.health?.targets ?? []).filter(
        t => t.status === 'stale',
      );
      const oldest = Math.max(0, ...targets.map(t => t.latest?.ageMs ?? 0));
      return { plane: p, targets, oldest };
    })
    .filter(s => s.targets.length > 0)
    .sort(
      (a, b) =>
        b.oldest - a.oldest || a.plane.title.localeCompare(b.plane.title),
    );
  const unread = planes.filter(p => !p.health);
  return {
    label:
      limit === undefined
        ? 'Stale acceptance'
        : `Acceptance older than ${formatLimit(limit)}`,
    count: stale.length,
    link: '/catalog?filters[kind]=plane&filters[user]=all',
    detail: unread.length
      ? `not checked: ${unread
          .map(p => `${p.title} (${p.error ?? 'no answer'})`)
          .join(', ')}`
      : undefined,
    links: stale.slice(0, MAX_LINKED).map(s => ({
      title: `${s.plane.title} (${
        s.targets.length === 1
          ? s.targets[0].target
          : `${s.targets.length} targets`
      }, ${Math.floor(s.oldest / DAY)} d)`,
      link: entityPath(s.plane.ref),
    })),
  };
}
