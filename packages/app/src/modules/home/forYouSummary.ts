import type { Proposal } from '@internal/plugin-approvals-common';
import type { DriftOverview } from '@internal/plugin-drift-common';

export interface ForYouItem {
  label: string;
  count: number;
  link: string;
  detail?: string;
  /** Shown in the error colour when the count is not zero. */
  urgent?: boolean;
}

export interface ForYouSummary {
  role: 'operator' | 'tenant';
  who: string;
  items: ForYouItem[];
}

const OPEN = new Set(['submitted', 'validated', 'in-review', 'approved']);

function names(refs: string[], max = 3): string | undefined {
  if (refs.length === 0) return undefined;
  const shown = refs.slice(0, max).map(r => r.replace(/^[^:]+:default\//, ''));
  return refs.length > max
    ? `${shown.join(', ')} and ${refs.length - max} more`
    : shown.join(', ');
}

/** What waits for a platform operator: the review queue by step, and FAIL drift. */
export function forOperator(
  who: string,
  proposals: Proposal[],
  overview: DriftOverview,
): ForYouSummary {
  const inState = (state: string) => proposals.filter(p => p.state === state);
  const failing = overview.rows.filter(r => r.verdict === 'FAIL');
  return {
    role: 'operator',
    who,
    items: [
      {
        label: 'Proposals to claim',
        count: inState('validated').length,
        link: '/approvals',
        detail: names(inState('validated').map(p => p.title)),
      },
      {
        label: 'Proposals in review (approve or reject)',
        count: inState('in-review').length,
        link: '/approvals',
        detail: names(inState('in-review').map(p => p.title)),
      },
      {
        label: 'Approved, waiting to be applied and verified',
        count: inState('approved').length,
        link: '/approvals',
        detail: names(inState('approved').map(p => p.title)),
      },
      {
        label: 'FAIL drift',
        count: failing.length,
        link: '/drift',
        detail: names(failing.map(r => r.subject)),
        urgent: true,
      },
    ],
  };
}

/** A tenant's view: their open proposals, their drift and their evidence packets. */
export function forTenant(
  who: string,
  proposals: Proposal[],
  overview: DriftOverview,
  packets: { tenant: string; total: number }[],
): ForYouSummary {
  const open = proposals.filter(p => OPEN.has(p.state));
  const notPassing = overview.rows.filter(r => r.verdict !== 'PASS');
  return {
    role: 'tenant',
    who,
    items: [
      {
        label: 'Your open proposals',
        count: open.length,
        link: '/approvals',
        detail: names(open.map(p => `${p.title} (${p.state})`)),
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
