import type { RecurringWindow } from '@internal/plugin-fabric-common';
import { ProposalRules } from './types';

/** An allow or deny window: starts at each cron tick and lasts `durationMs`. */
export interface ChangeWindowSchedule extends RecurringWindow {
  kind: 'allow' | 'deny';
}

/**
 * The rules for proposals targeting one environment, as the approvals backend resolves them
 * from `approvals.environments` and its defaults. Other plugins read them through the
 * approvals service ref, never from the config, so they cannot disagree with the backend.
 */
export interface EnvironmentRules extends ProposalRules {
  /** Whether the environment counts as production (stricter defaults). */
  production: boolean;
  /** Distinct approvers needed. */
  requiredApprovals: number;
  /** How long one approval stays valid. */
  approvalTtlMs: number;
  /** Whether approvals need an OpenPGP signature over the proposal digest. */
  requireSignature: boolean;
  changeWindows: ChangeWindowSchedule[];
}

/**
 * How strict an environment's rules are, for choosing among several: production first, then
 * the most required approvals, then signed before unsigned. A change that touches several
 * environments (a new tenant in dev and prod) is approved under the strictest one's rules.
 */
export function ruleStrictness(rules: EnvironmentRules): number {
  return (
    (rules.production ? 1_000_000 : 0) +
    rules.requiredApprovals * 10 +
    (rules.requireSignature ? 1 : 0)
  );
}
