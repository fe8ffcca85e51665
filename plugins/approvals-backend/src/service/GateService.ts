import {
  APPLIED_STATES,
  Decision,
  isTerminalState,
  GateResult,
  Proposal,
} from '@internal/plugin-approvals-common';
import { DecisionStore } from '../database/DecisionStore';
import { ProposalStore } from '../database/ProposalStore';
import { Clock, systemClock } from './actors';
import { ApplyAssessment, assessApply, gateResult } from './gatePolicy';
import { EvidenceChecks } from './packetEvidence';
import { ApprovalsRules } from './rules';

/** What the gate reads: the stores, the rules, and the newest proposal of a change. */
export interface GateSource {
  readonly proposals: Pick<ProposalStore, 'get'>;
  readonly decisions: Pick<DecisionStore, 'listForProposal'>;
  readonly rules: ApprovalsRules;
  /** Packet and drift checks; without them the gate checks approvals and windows only. */
  readonly evidence?: EvidenceChecks;
  findByChangeWithDecisions(
    tenant: string,
    changeRef: string,
  ): Promise<{ proposal: Proposal; decisions: Decision[] }>;
}

/**
 * Answers CI: may this proposal be applied now, and if not, why not. It owns the gate policy
 * (./gatePolicy, pure functions) and feeds it what it reads; the apply command and the
 * proposal page ask the same questions through it.
 */
export class GateService {
  constructor(
    private readonly source: GateSource,
    private readonly clock: Clock = systemClock,
  ) {}

  async evaluate(
    proposalId: string,
    now: Date = this.clock.now(),
  ): Promise<GateResult> {
    const proposal = await this.source.proposals.get(proposalId);
    return this.gate(proposal, now);
  }

  /** The gate for the newest proposal of `tenant` carrying `changeRef`. */
  async evaluateChange(tenant: string, changeRef: string): Promise<GateResult> {
    const { proposal, decisions } = await this.source.findByChangeWithDecisions(
      tenant,
      changeRef,
    );
    return this.gate(proposal, this.clock.now(), decisions);
  }

  /**
   * May the proposal be applied at `now`, and if not, why not. `decisions`, when the caller
   * has just read them with the proposal, saves reading them again.
   */
  async gate(
    proposal: Proposal,
    now: Date,
    decisions?: Decision[],
  ): Promise<GateResult> {
    return gateResult(
      proposal,
      await this.assess(proposal, now, decisions),
      now,
    );
  }

  /** What stands between the proposal and being applied at `now`. */
  async assess(
    proposal: Proposal,
    now: Date,
    decisions?: Decision[],
  ): Promise<ApplyAssessment> {
    const assessment = assessApply(
      proposal,
      decisions ?? (await this.source.decisions.listForProposal(proposal.id)),
      this.source.rules.forEnvironment(proposal.environment),
      now,
    );
    const cites =
      (proposal.packets ?? []).length > 0 || proposal.type === 'promotion';
    if (!this.source.evidence || !cites) return assessment;
    // A finished or applied proposal's packets are still shown, but decide nothing more.
    if (
      isTerminalState(proposal.state) ||
      APPLIED_STATES.includes(proposal.state)
    ) {
      return {
        ...assessment,
        packets: await this.source.evidence.resolveAll(proposal, now),
      };
    }
    const evidence = await this.source.evidence.reasons(
      proposal,
      now,
      assessment.rules.promotionPacketKinds,
    );
    return {
      ...assessment,
      reasons: [...assessment.reasons, ...evidence.reasons],
      packets: evidence.packets,
    };
  }
}
