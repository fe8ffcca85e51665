import type {
  Proposal,
  ProposalPage,
  ProposalState,
} from '@internal/plugin-approvals-common';
import type { DriftOverview } from '@internal/plugin-drift-common';
import { staleAcceptanceItem, type PlaneAcceptance } from './staleAcceptance';

export interface ForYouItem {
  label: string;
  count: number;
  link: string;
  detail?: string;
  /** What is behind the count (the first few), each opening its page. */
  links?: Array<{ title: string; link: string }>;
  /** Shown in the error colour when the count is not zero. */
  urgent?: boolean;
}

export interface ForYouSummary {
  role: 'operator' | 'tenant';
  who: string;
  items: ForYouItem[];
}

const OPEN = new Set<ProposalState>([
  'submitted',
  'validated',
  'in-review',
  'approved',
]);

const MAX_LINKED = 5;

function linked(proposals: Proposal[]) {
  return proposals.slice(0, MAX_LINKED).map(p => ({
    title: p.title,
    link: `/approvals/proposals/${encodeURIComponent(p.id)}`,
  }));
}

function names(refs: string[], max = 3): string | undefined {
  if (refs.length === 0) return undefined;
  const shown = refs.slice(0, max).map(r => r.replace(/^[^:]+:default\//, ''));
  return refs.length > max
    ? `${shown.join(', ')} and ${refs.length - max} more`
    : shown.join(', ');
}

/**
 * What waits for a platform operator: the review queue by step with the server's counts (not
 * only the first page), verifies due (overdue ones counted apart), FAIL drift and planes whose
 * acceptance is older than the configured limit. Each count links to the queue filtered to it
 * (or the planes) and lists its first proposals (or stale planes) as links.
 */
export function forOperator(
  who: string,
  queue: Pick<ProposalPage, 'items' | 'counts'>,
  /** The first approved and applied proposals (the review queue holds neither). */
  approvedOrApplied: Proposal[],
  overview: DriftOverview,
  /** The planes naming acceptance targets, with their health from evidence. */
  planes: PlaneAcceptance[],
): ForYouSummary {
  const applied = approvedOrApplied.filter(p => p.state === 'applied');
  const byState = (state: ProposalState) => queue.counts.byState[state] ?? 0;
  // The review view's counts.byState cover every state under the caller's filters.
  const inState = (state: ProposalState) =>
    linked(queue.items.filter(p => p.state === state));
  const overdue = applied.filter(p => p.verifyOverdueAt);
  const failing = overview.rows.filter(r => r.verdict === 'FAIL');
  return {
    role: 'operator',
    who,
    items: [
      {
        label: 'Waiting for you (claim or approve now)',
        count: queue.counts.waitingForMe,
        link: '/approvals?view=review',
        links: linked(queue.items),
      },
      {
        label: 'Proposals to claim',
        count: byState('validated'),
        link: '/approvals?view=all&state=validated',
        links: inState('validated'),
      },
      {
        label: 'Proposals in review (approve or reject)',
        count: byState('in-review'),
        link: '/approvals?view=all&state=in-review',
        links: inState('in-review'),
      },
      {
        label: 'Approved, waiting to be applied',
        count: byState('approved'),
        link: '/approvals?view=all&state=approved',
        links: linked(approvedOrApplied.filter(p => p.state === 'approved')),
      },
      {
        label: 'Applied, waiting to be verified',
        count: byState('applied'),
        link: '/approvals?view=all&state=applied',
        detail: overdue.length ? `${overdue.length} overdue` : undefined,
        links: linked([
          ...overdue,
          ...applied.filter(p => !overdue.includes(p)),
        ]),
        urgent: overdue.length > 0,
      },
      {
        label: 'FAIL drift',
        count: failing.length,
        link: '/drift',
        detail: names(failing.map(r => r.subject)),
        urgent: true,
      },
      staleAcceptanceItem(planes),
    ],
  };
}

/** A tenant's view: their tenants' open proposals, their drift and their evidence packets. */
export function forTenant(
  who: string,
  proposals: Pick<ProposalPage, 'items' | 'counts'>,
  overview: DriftOverview,
  packets: { tenant: string; total: number }[],
): ForYouSummary {
  const open = proposals.items.filter(p => OPEN.has(p.state));
  const openCount = [...OPEN].reduce(
    (sum, state) => sum + (proposals.counts.byState[state] ?? 0),
    0,
  );
  const notPassing = overview.rows.filter(r => r.verdict !== 'PASS');
  return {
    role: 'tenant',
    who,
    items: [
      {
        label: "Your tenants' open proposals",
        count: openCount,
        link: '/approvals?view=all',
        links: open
          .slice(0, MAX_LINKED)
          .map(p => ({ ...linked([p])[0], title: `${p.title} (${p.state})` })),
      },
      {
        label: 'Drift in your tenants (FAIL or WARN)',
        count: notPassing.length,
        link: '/drift',
        detail: names(notPassing.map(r => `${r.subject} ${r.verdict}`)),
        urgent: notPassing.some(r => r.verdict === 'FAIL'),
      },
      {
        label: 'Evidence packets of your tenants',
        count: packets.reduce((sum, p) => sum + p.total, 0),
        link: '/evidence',
        detail: names(packets.map(p => `${p.tenant}: ${p.total}`)),
      },
    ],
  };
}
