/** The verdicts of a drift finding or run, mildest first. */
export const DRIFT_VERDICTS = ['PASS', 'WARN', 'FAIL'] as const;

export type DriftVerdict = (typeof DRIFT_VERDICTS)[number];

const RANK: Record<DriftVerdict, number> = { PASS: 0, WARN: 1, FAIL: 2 };

/** 0 for PASS, 1 for WARN, 2 for FAIL: charts and sorting use it. */
export function verdictRank(verdict: DriftVerdict): number {
  return RANK[verdict];
}

/** The worst of the verdicts; PASS when there are none (nothing differs). */
export function worstVerdict(verdicts: Iterable<DriftVerdict>): DriftVerdict {
  let worst: DriftVerdict = 'PASS';
  for (const verdict of verdicts) {
    if (RANK[verdict] > RANK[worst]) worst = verdict;
  }
  return worst;
}

/**
 * The drift taxonomy: what kind of difference a finding is. Every WARN or FAIL
 * finding names one class; PASS findings are `in-sync` unless they say otherwise.
 */
export const DRIFT_CLASSES = [
  'in-sync',
  'missing',
  'unmanaged',
  'modified',
  'capacity',
  'version',
  'binding',
  'unobservable',
] as const;

export type DriftClass = (typeof DRIFT_CLASSES)[number];

export interface DriftClassInfo {
  title: string;
  /** For operators: what the class means. */
  description: string;
  /** For tenants: what it means for them, in plain words. */
  tenantPhrase: string;
}

export const DRIFT_TAXONOMY: Readonly<Record<DriftClass, DriftClassInfo>> = {
  'in-sync': {
    title: 'In sync',
    description: 'Observed state matches the declared state.',
    tenantPhrase: 'matches what your contract declares',
  },
  missing: {
    title: 'Missing',
    description:
      'Declared but not observed: the resource was removed or never created outside the declared path.',
    tenantPhrase: 'is declared in your contract but could not be found',
  },
  unmanaged: {
    title: 'Unmanaged',
    description:
      'Observed but not declared: something exists that no contract or configuration describes.',
    tenantPhrase: 'exists but is not part of your contract',
  },
  modified: {
    title: 'Modified',
    description:
      'Exists on both sides but attributes differ: changed outside the declared path.',
    tenantPhrase: 'is set up differently from what your contract declares',
  },
  capacity: {
    title: 'Capacity',
    description:
      'Observed sizes, limits or quotas differ from the declared capacity contract.',
    tenantPhrase: 'has different capacity or limits than your contract',
  },
  version: {
    title: 'Version',
    description:
      'Observed engine, image or schema version differs from the declared one.',
    tenantPhrase: 'runs a different version than your contract declares',
  },
  binding: {
    title: 'Binding',
    description:
      'A workload binding points somewhere other than the declared endpoint, or the endpoint does not answer as declared.',
    tenantPhrase: 'is connected differently from the binding in your contract',
  },
  unobservable: {
    title: 'Unobservable',
    description:
      'Could not be observed (unreachable, no read access); reported instead of guessed.',
    tenantPhrase: 'could not be checked this time',
  },
};
