import { DRIFT_TAXONOMY, DriftVerdict, verdictRank } from './taxonomy';
import type { DriftCurrent } from './types';

/** The drift of one tenant, in words for the tenant's own team. */
export interface TenantDriftSummary {
  verdict: DriftVerdict | 'NONE';
  headline: string;
  /** One line per resource that differs (WARN or FAIL), worst first. */
  lines: string[];
  /** What happens next and what the tenant can do. */
  advice: string;
}

const ADVICE =
  'The platform team is told about every new FAIL and about warnings that persist. ' +
  'Nothing is changed automatically: every fix is a reviewed change. ' +
  'If what was observed is what you want, submit a proposal so your contract says so.';

/** Writes the summary a tenant sees on its Drift tab. */
export function tenantDriftSummary(
  tenantName: string,
  current: Pick<DriftCurrent, 'verdict' | 'findings' | 'runs'>,
): TenantDriftSummary {
  if (current.runs.length === 0) {
    return {
      verdict: 'NONE',
      headline: `No drift checks have reported for ${tenantName} yet.`,
      lines: [],
      advice:
        'Drift checks compare what your contract declares with what runs on the platform; results appear here after the next check.',
    };
  }
  const differing = current.findings
    .filter(f => f.verdict !== 'PASS')
    .sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict));
  const environments = [
    ...new Set(current.runs.map(r => r.environment)),
  ].sort();
  if (differing.length === 0) {
    return {
      verdict: 'PASS',
      headline: `Everything the platform checked for ${tenantName} matches your contract (${environments.join(
        ', ',
      )}).`,
      lines: [],
      advice: ADVICE,
    };
  }
  const failing = differing.filter(f => f.verdict === 'FAIL').length;
  const headline =
    failing > 0
      ? `${differing.length} of your resources differ from your contract; ${failing} need the platform team's attention (FAIL).`
      : `${differing.length} of your resources differ slightly from your contract (WARN).`;
  return {
    verdict: current.verdict,
    headline,
    lines: differing.map(
      f =>
        `${f.provider} in ${f.environment}: ${f.resource} ${
          DRIFT_TAXONOMY[f.class].tenantPhrase
        } (${f.verdict})${f.message ? ` - ${f.message}` : ''}`,
    ),
    advice: ADVICE,
  };
}
