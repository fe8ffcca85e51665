import { ProposalState, ProposalType } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';

/** What {@link ProposalStore.list} and its counts can filter on. */
export interface ProposalFilter {
  tenant?: string;
  /** Only these tenants (the permission policy's condition); empty matches nothing. */
  tenantIn?: string[];
  environment?: string;
  type?: ProposalType;
  state?: ProposalState;
  stateIn?: ProposalState[];
  requester?: string;
  notRequester?: string;
  notApprovedBy?: string;
  /** Leaves out proposals with a live claim (expiring after `now`) of anybody but `claimant`. */
  notClaimedByOthers?: { claimant: string; now: string };
  changeRef?: string;
  /** Case-insensitive: part of the title or the tenant ref, or the start of the id. */
  search?: string;
  /** No row at all (a view the caller may not use). */
  none?: boolean;
  limit?: number;
  offset?: number;
}

/** `%` and `_` in what a person typed are literal characters, not wildcards. */
function likeLiteral(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`);
}

/** Adds the filter's conditions (not its order, limit or offset) to a query of the proposals table. */
export function whereProposals(
  db: Knex,
  q: Knex.QueryBuilder,
  filter: ProposalFilter,
): Knex.QueryBuilder {
  if (filter.none) q.whereRaw('1 = 0');
  if (filter.tenant) q.where('tenant_ref', filter.tenant);
  if (filter.tenantIn) q.whereIn('tenant_ref', filter.tenantIn);
  if (filter.environment) q.where('environment_ref', filter.environment);
  if (filter.type) q.where('type', filter.type);
  if (filter.state) q.where('state', filter.state);
  if (filter.stateIn) q.whereIn('state', filter.stateIn);
  if (filter.requester) q.where('requester_ref', filter.requester);
  if (filter.notRequester) q.whereNot('requester_ref', filter.notRequester);
  if (filter.changeRef) q.where('change_ref', filter.changeRef);
  if (filter.search) {
    const part = `%${likeLiteral(filter.search)}%`;
    const start = `${likeLiteral(filter.search)}%`;
    q.where(inner =>
      inner
        .whereRaw(`lower(title) like ? escape '\\'`, [part])
        .orWhereRaw(`lower(tenant_ref) like ? escape '\\'`, [part])
        .orWhereRaw(`lower(id) like ? escape '\\'`, [start]),
    );
  }
  if (filter.notApprovedBy) {
    // Still valid or not: somebody who approved once does not review again.
    q.whereNotExists(
      db('approvals_decisions')
        .select('id')
        .whereRaw('approvals_decisions.proposal_id = approvals_proposals.id')
        .where({ kind: 'approval', actor_ref: filter.notApprovedBy }),
    );
  }
  if (filter.notClaimedByOthers) {
    const { claimant, now } = filter.notClaimedByOthers;
    q.whereNotExists(
      db('approvals_claims')
        .select('proposal_id')
        .whereRaw('approvals_claims.proposal_id = approvals_proposals.id')
        .whereNot('claimant_ref', claimant)
        .where('expires_at', '>', now),
    );
  }
  return q;
}
