import { GateResult } from '@internal/plugin-approvals-common';
import { Clock, systemClock } from './actors';
import { ProposalService } from './ProposalService';

/** Answers CI: may this proposal be applied now, and if not, why not. */
export class GateService {
  constructor(
    private readonly service: ProposalService,
    private readonly clock: Clock = systemClock,
  ) {}

  async evaluate(
    proposalId: string,
    now: Date = this.clock.now(),
  ): Promise<GateResult> {
    const proposal = await this.service.proposals.get(proposalId);
    return this.service.gate(proposal, now);
  }

  /** The gate for the newest proposal of `tenant` carrying `changeRef`. */
  async evaluateChange(tenant: string, changeRef: string): Promise<GateResult> {
    const { proposal, decisions } =
      await this.service.findByChangeWithDecisions(tenant, changeRef);
    return this.service.gate(proposal, this.clock.now(), decisions);
  }
}
