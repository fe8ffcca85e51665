import { GateResult } from '@internal/plugin-approvals-common';
import { ProposalStore } from '../database/ProposalStore';
import { ProposalService } from './ProposalService';

/** Answers CI: may this proposal be applied now, and if not, why not. */
export class GateService {
  private readonly proposals: ProposalStore;

  constructor(private readonly service: ProposalService) {
    this.proposals = service.proposals;
  }

  async evaluate(proposalId: string, now: Date): Promise<GateResult> {
    const proposal = await this.proposals.get(proposalId);
    const { reasons } = await this.service.assessApply(proposal, now);
    return {
      proposalId,
      state: proposal.state,
      allowed: reasons.length === 0,
      reasons,
      evaluatedAt: now.toISOString(),
    };
  }
}
