import { NotFoundError } from '@backstage/errors';
import {
  Decision,
  Proposal,
  ProposalListQuery,
  ProposalPage,
  ProposalView,
  REVIEWABLE_STATES,
} from '@internal/plugin-approvals-common';
import { Claim, ClaimStore } from '../database/ClaimStore';
import { DecisionStore } from '../database/DecisionStore';
import { ProposalFilter, ProposalStore } from '../database/ProposalStore';
import { toIso } from '../database/time';
import { Clock } from './actors';
import { GateService } from './GateService';
import { ApprovalsRules } from './rules';

/** A proposal with its decisions, as the API returns it. */
export interface ProposalDetails {
  proposal: Proposal;
  decisions: Decision[];
  claim?: Claim;
}

/** Who lists, for the `review` and `requested` views. */
export interface ListOptions {
  viewer?: string;
  /** Only these tenants (from the permission policy); undefined means all. */
  tenants?: string[];
  /** False when the viewer may not claim or approve: nothing waits for them. */
  reviewer?: boolean;
}

/** The read side: one proposal with what its page shows, lists, the newest of a change. */
export class ProposalQueries {
  constructor(
    private readonly deps: {
      proposals: ProposalStore;
      decisions: DecisionStore;
      claims: ClaimStore;
      rules: ApprovalsRules;
      clock: Clock;
      gate: GateService;
    },
  ) {}

  async get(id: string): Promise<ProposalDetails> {
    const proposal = await this.deps.proposals.get(id);
    const decisions = await this.deps.decisions.listForProposal(id);
    const claim = await this.deps.claims.findActive(
      id,
      toIso(this.deps.clock.now()),
    );
    return { proposal, decisions, claim };
  }

  /** Everything the proposal page shows: decisions, claim, rules and gate. */
  async view(id: string): Promise<ProposalView> {
    const now = this.deps.clock.now();
    const { proposal, decisions, claim } = await this.get(id);
    const rules = this.deps.rules.forEnvironment(proposal.environment);
    return {
      proposal,
      decisions,
      claim,
      rules: {
        production: rules.production,
        requiredApprovals: rules.requiredApprovals,
        requireSignature: rules.requireSignature,
        approvalTtlMs: rules.approvalTtlMs,
        changeWindows: rules.changeWindows,
        promotionPacketKinds: rules.promotionPacketKinds,
      },
      gate: await this.deps.gate.gate(proposal, now),
    };
  }

  /** The filter for a query: what it names, inside the caller's tenants, and its view. */
  private filterFor(
    query: ProposalListQuery,
    options: ListOptions,
    now: string,
  ): ProposalFilter {
    const filter: ProposalFilter = {
      tenant: query.tenant,
      tenantIn: options.tenants,
      environment: query.environment,
      type: query.type,
      state: query.state,
      requester: query.requester,
      changeRef: query.changeRef,
      search: query.q,
      limit: query.limit,
      offset: query.offset,
    };
    if (query.view === 'requested') {
      filter.requester = options.viewer ?? 'nobody';
    }
    if (query.view === 'review') {
      Object.assign(filter, this.waitingFor(options, now));
    }
    return filter;
  }

  /** "Waiting for me": what the viewer may claim or approve now. */
  private waitingFor(options: ListOptions, now: string): ProposalFilter {
    if (options.reviewer === false || !options.viewer) return { none: true };
    return {
      stateIn: [...REVIEWABLE_STATES],
      notRequester: options.viewer,
      notApprovedBy: options.viewer,
      notClaimedByOthers: { claimant: options.viewer, now },
    };
  }

  list(
    query: ProposalListQuery,
    options: ListOptions = {},
  ): Promise<Proposal[]> {
    const now = toIso(this.deps.clock.now());
    return this.deps.proposals.list(this.filterFor(query, options, now));
  }

  /** One page of the list with the total it comes from and the counts the queue shows. */
  async page(
    query: ProposalListQuery,
    options: ListOptions = {},
  ): Promise<ProposalPage> {
    const now = toIso(this.deps.clock.now());
    const filter = this.filterFor(query, options, now);
    // The counts keep the tenant, environment, type and search, not the state or the view.
    const base: ProposalFilter = {
      tenant: filter.tenant,
      tenantIn: filter.tenantIn,
      environment: filter.environment,
      type: filter.type,
      changeRef: filter.changeRef,
      search: filter.search,
    };
    const { proposals } = this.deps;
    const [items, total, byState, waitingForMe] = await Promise.all([
      proposals.list(filter),
      proposals.count(filter),
      proposals.countByState(base),
      proposals.count({ ...base, ...this.waitingFor(options, now) }),
    ]);
    return {
      items,
      total,
      limit: query.limit,
      offset: query.offset,
      counts: { byState, waitingForMe },
    };
  }

  /** The newest proposal of a tenant for a change reference and its decisions, in one statement. */
  async findByChangeWithDecisions(
    tenant: string,
    changeRef: string,
  ): Promise<{ proposal: Proposal; decisions: Decision[] }> {
    const found = await this.deps.proposals.latestByChangeWithDecisions(
      tenant,
      changeRef,
    );
    if (!found) throw noProposalForChange(tenant, changeRef);
    return found;
  }
}

/** A change reference no proposal of the tenant carries, or one of a tenant not the caller's. */
export function noProposalForChange(
  tenant: string,
  changeRef: string,
): NotFoundError {
  return new NotFoundError(
    `No proposal of ${tenant} carries change reference ${changeRef}; submit one with changeRef set`,
  );
}
