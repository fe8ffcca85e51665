/**
 * A rule the seeds cite as ZAKON (or as a rule next to ZAKON) that has no entry
 * in the ZAKON registry: listed so nobody mistakes it for an enforced,
 * approved rule. Registering one goes through the new-zakon-rule proposal.
 */
export interface UnregisteredZakonRule {
  /** How the seed names it. */
  label: string;
  /** What it asks for, in a few words. */
  summary: string;
  /** Where the seed cites it (seed file number and line). */
  citedAt: string;
}

/** Status shown for these rules on the ZAKON page and in the docs. */
export const ZAKON_UNREGISTERED_STATUS = 'unregistered';

/**
 * The rules seed 003 cites but never registers (its registry holds only the
 * three grandfathered rules and blueprint-enforcement).
 */
export const UNREGISTERED_ZAKON_RULES: ReadonlyArray<UnregisteredZakonRule> = [
  {
    label: 'Phantom domain removal',
    summary:
      'before removing a phantom domain, verify the real domain does not route through it',
    citedAt: '003:2202',
  },
  {
    label: 'ZAKON NULA',
    summary: 'tool-first verification mandate',
    citedAt: '003:4775',
  },
  {
    label: 'ZAKON #21',
    summary:
      'evidence-gate enforcement: a task is done only with evidence files',
    citedAt: '003:4777',
  },
  {
    label: 'ZAKON #25',
    summary: 'Forge -> Mehanik -> Dispatch -> Postflight pipeline',
    citedAt: '003:4778',
  },
  {
    label: 'INFRA-CF-001',
    summary:
      'Cloudflare configuration rule disabling BIC per proxied API hostname',
    citedAt: '003:2563',
  },
];
