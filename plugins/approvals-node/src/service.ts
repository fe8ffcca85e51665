import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EnvironmentRules,
  GateQuery,
  GateResult,
  Proposal,
  ProposalListQueryInput,
  ProposalSubmission,
  ProposalView,
} from '@internal/plugin-approvals-common';

/**
 * Who the call is made for. The approvals backend applies the same permission checks and
 * role rules as its HTTP routes to these credentials: a scaffolder task passes the
 * initiating user's credentials, so the requester is that user and the policy judges that
 * user, never the calling plugin.
 */
export interface ApprovalsCallOptions {
  credentials: BackstageCredentials;
}

/** Proposals: submit on behalf of a caller, read one, list. */
export interface ApprovalsProposalsApi {
  /**
   * Submits a proposal as `credentials`' principal and runs the automatic validation;
   * resolves with the proposal after validation (which may have rejected it). Throws
   * InputError for a submission the schema refuses, NotAllowedError when the principal
   * may not submit for the tenant.
   */
  submit(
    submission: ProposalSubmission,
    options: ApprovalsCallOptions,
  ): Promise<Proposal>;
  /** The proposal with its decisions, claim, rules and gate (what its page shows). */
  get(id: string, options: ApprovalsCallOptions): Promise<ProposalView>;
  /** Proposals the principal may read, filtered like `GET /proposals`. */
  list(
    query: ProposalListQueryInput,
    options: ApprovalsCallOptions,
  ): Promise<Proposal[]>;
}

/** The environment rules exactly as the approvals backend applies them. */
export interface ApprovalsRulesApi {
  /** Rules for an environment ref (`resource:default/samakia-prod`) or name. */
  forEnvironment(environment: string): Promise<EnvironmentRules>;
  /** The environments named in the approvals configuration. */
  configuredEnvironments(): Promise<string[]>;
  /**
   * Of `environments` (at least one), the one whose rules are strictest (see
   * `ruleStrictness`); a change touching several is approved under its rules.
   */
  strictest(environments: string[]): Promise<string>;
}

/** The gate CI asks before applying. */
export interface ApprovalsGateApi {
  evaluate(
    proposalId: string,
    options: ApprovalsCallOptions,
  ): Promise<GateResult>;
  /** The gate for the newest proposal of a tenant carrying a change reference. */
  evaluateChange(
    query: GateQuery,
    options: ApprovalsCallOptions,
  ): Promise<GateResult>;
}

/** What the approvals backend offers other backend plugins in-process. */
export interface ApprovalsService {
  proposals: ApprovalsProposalsApi;
  rules: ApprovalsRulesApi;
  gate: ApprovalsGateApi;
}
