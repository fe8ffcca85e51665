import {
  Proposal,
  parseProposalChange,
} from '@internal/plugin-approvals-common';
import {
  FabricProblem,
  TenantQuotas,
  canonicalFabricRef,
} from '@internal/plugin-fabric-common';
import { CatalogLookup, checkAgainstCatalog } from './catalogChecks';

/**
 * The automatic validation of a submitted proposal: the change parses for its type, quotas
 * stay under the configured maxima, a binding targets the proposal's environment, and then
 * (when a catalog is given, and only if all that holds) everything it names exists.
 * Returns the problems; none means valid.
 */
export async function validateProposal(
  proposal: Proposal,
  quotaMaxima: Partial<TenantQuotas>,
  catalog?: CatalogLookup,
): Promise<FabricProblem[]> {
  const problems = checkContent(proposal, quotaMaxima);
  if (problems.length === 0 && catalog) {
    problems.push(...(await checkAgainstCatalog(proposal, catalog)));
  }
  return problems;
}

/** The checks that need nothing but the proposal and the configured maxima. */
export function checkContent(
  proposal: Proposal,
  quotaMaxima: Partial<TenantQuotas>,
): FabricProblem[] {
  const parsed = parseProposalChange(proposal.type, proposal.change);
  if (!parsed.success) {
    return parsed.problems.map(p => ({
      path: p.path ? `change.${p.path}` : 'change',
      message: p.message,
    }));
  }
  const problems: FabricProblem[] = [];
  const change = parsed.data as Record<string, any>;
  if (proposal.type === 'capacity-change') {
    problems.push(...checkQuotas(change.quotas, 'change.quotas', quotaMaxima));
  }
  if (proposal.type === 'new-tenant') {
    problems.push(
      ...checkQuotas(change.spec.quotas, 'change.spec.quotas', quotaMaxima),
    );
  }
  if (proposal.type === 'binding-change') {
    const env = canonicalFabricRef(change.binding.environment, 'Resource', {
      metadata: { namespace: 'default' },
    });
    if (env !== proposal.environment.toLocaleLowerCase('en-US')) {
      problems.push({
        path: 'change.binding.environment',
        message: `${change.binding.environment} is not the proposal's target environment ${proposal.environment}; bind to the target environment or retarget the proposal`,
      });
    }
  }
  if (proposal.type === 'promotion') {
    problems.push(...checkPromotion(change, proposal));
  }
  return problems;
}

/** A promotion targets the proposal's environment and cites at least one packet. */
function checkPromotion(
  change: Record<string, any>,
  proposal: Proposal,
): FabricProblem[] {
  const problems: FabricProblem[] = [];
  if (change.to !== proposal.environment) {
    problems.push({
      path: 'change.to',
      message: `${change.to} is not the proposal's target environment ${proposal.environment}; promote to the target environment or retarget the proposal`,
    });
  }
  if ((proposal.packets ?? []).length === 0) {
    problems.push({
      path: 'packets',
      message:
        'is empty; a promotion cites the evidence packets of the rung it leaves (e.g. an eval-report and a dataset-manifest)',
    });
  }
  return problems;
}

function checkQuotas(
  quotas: TenantQuotas,
  path: string,
  maxima: Partial<TenantQuotas>,
): FabricProblem[] {
  const problems: FabricProblem[] = [];
  for (const [key, max] of Object.entries(maxima)) {
    const value = quotas[key as keyof TenantQuotas];
    if (max !== undefined && value > max) {
      problems.push({
        path: `${path}.${key}`,
        message: `${value} is above the configured maximum ${max}; request at most ${max} or ask an operator to raise the maximum`,
      });
    }
  }
  return problems;
}

/** One line for the audit log and the requester's notification. */
export function describeProblems(problems: FabricProblem[]): string {
  return problems.map(p => `${p.path}: ${p.message}`).join('; ');
}
