import { NotFoundError } from '@backstage/errors';
import {
  Decision,
  Proposal,
  ProposalListQuery,
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
      },
      gate: await this.deps.gate.gate(proposal, now),
    };
  }

  list(
    query: ProposalListQuery,
    options: ListOptions = {},
  ): Promise<Proposal[]> {
    const filter: ProposalFilter = {
      tenant: query.tenant,
      tenantIn: options.tenants,
      environment: query.environment,
      state: query.state,
      requester: query.requester,
      changeRef: query.changeRef,
      limit: query.limit,
      offset: query.offset,
    };
    if (query.view === 'requested') {
      filter.requester = options.viewer ?? 'nobody';
    }
    if (query.view === 'review') {
      filter.stateIn = [...REVIEWABLE_STATES];
      filter.notRequester = options.viewer;
      filter.notApprovedBy = options.viewer;
    }
    return this.deps.proposals.list(filter);
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
    if (!found) {
      throw new NotFoundError(
        `No proposal of ${tenant} carries change reference ${changeRef}; submit one with changeRef set`,
      );
    }
    return found;
  }
}
