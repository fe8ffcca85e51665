import { birdsProposal } from './fixtures';
import { call } from '../../support/apiCall';
import { pgQuery } from './postgres';

/** Rules for the concurrency tests: one approval in samakia-dev, two in samakia-staging. */
export const APPROVAL_RULES = {
  approvals: {
    claimTtl: { hours: 1 },
    environments: {
      'samakia-dev': { requiredApprovals: 1 },
      'samakia-staging': { requiredApprovals: 2 },
    },
  },
};

export const REQUIRED: Record<string, number> = {
  'samakia-dev': 1,
  'samakia-staging': 2,
};

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

export async function submitProposals(
  baseUrl: string,
  token: string | undefined,
  environment: string,
  count: number,
  label: string,
): Promise<string[]> {
  return inBatches(
    Array.from({ length: count }, (_, i) => i),
    4,
    async i => {
      const res = await call(
        baseUrl,
        token,
        'POST',
        '/api/approvals/proposals',
        {
          json: {
            ...birdsProposal(`${label} ${environment} #${i}`),
            environment,
          },
        },
      );
      if (res.status !== 201 || res.body.state !== 'validated') {
        throw new Error(`submitting a proposal: ${res.status} ${res.text}`);
      }
      return res.body.id as string;
    },
  );
}

export async function expectOk(
  what: string,
  res: Promise<{ status: number; text: string }>,
) {
  const r = await res;
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r;
}

/** One approval request and what came of it: a status, or no answer at all. */
export interface Attempt {
  proposalId: string;
  actor: string;
  backend: string;
  status?: number;
  error?: string;
}

export async function approve(
  baseUrl: string,
  backend: string,
  token: string | undefined,
  actor: string,
  proposalId: string,
): Promise<Attempt> {
  try {
    const res = await call(
      baseUrl,
      token,
      'POST',
      `/api/approvals/proposals/${proposalId}/approve`,
      { json: { comment: `approved by ${actor} via ${backend}` } },
    );
    return { proposalId, actor, backend, status: res.status };
  } catch (error) {
    return { proposalId, actor, backend, error: String(error) };
  }
}

/**
 * What the database holds for `ids`, read directly: each proposal's state and version, its
 * approval decisions and its audit records.
 */
export async function approvalsRecords(prefix: string, ids: string[]) {
  const database = `${prefix}approvals`;
  const proposals = await pgQuery<{
    id: string;
    state: string;
    version: number;
    environment_ref: string;
  }>(
    'SELECT id, state, version, environment_ref FROM approvals_proposals WHERE id = ANY($1)',
    [ids],
    database,
  );
  const decisions = await pgQuery<{
    proposal_id: string;
    actor_ref: string;
    kind: string;
  }>(
    'SELECT proposal_id, actor_ref, kind FROM approvals_decisions WHERE proposal_id = ANY($1)',
    [ids],
    database,
  );
  const audit = await pgQuery<{
    proposal_id: string;
    action: string;
    actor_ref: string;
    details_json: string;
  }>(
    'SELECT proposal_id, action, actor_ref, details_json FROM approvals_audit WHERE proposal_id = ANY($1) ORDER BY seq',
    [ids],
    database,
  );
  return ids.map(id => {
    const proposal = proposals.find(p => p.id === id)!;
    const approvals = decisions
      .filter(d => d.proposal_id === id && d.kind === 'approval')
      .map(d => d.actor_ref)
      .sort();
    const trail = audit.filter(a => a.proposal_id === id);
    return {
      id,
      environment: proposal.environment_ref.replace(/^resource:default\//, ''),
      state: proposal.state,
      version: Number(proposal.version),
      approvals,
      auditApprovals: trail
        .filter(a => a.action === 'approval')
        .map(a => a.actor_ref)
        .sort(),
      /** Audit records that moved the proposal to approved. */
      becameApproved: trail.filter(
        a => JSON.parse(a.details_json).to === 'approved',
      ).length,
      auditRecords: trail.length,
    };
  });
}

/**
 * The invariants of the state machine over what is stored, whatever happened to the requests:
 * nobody approved twice, every decision has its audit record, the state follows from the
 * decisions, the proposal became approved at most once, and the version counts the audited
 * transitions (the same offset for every proposal).
 */
export function consistencyProblems(
  records: Awaited<ReturnType<typeof approvalsRecords>>,
): string[] {
  const problems: string[] = [];
  const offsets = new Set<number>();
  for (const r of records) {
    const required = REQUIRED[r.environment];
    if (new Set(r.approvals).size !== r.approvals.length) {
      problems.push(`${r.id}: an approver counted twice: ${r.approvals}`);
    }
    if (JSON.stringify(r.auditApprovals) !== JSON.stringify(r.approvals)) {
      problems.push(
        `${r.id}: decisions ${r.approvals} but audit records ${r.auditApprovals}`,
      );
    }
    const expectedState =
      r.approvals.length >= required ? 'approved' : 'in-review';
    if (r.state !== expectedState) {
      problems.push(
        `${r.id}: ${r.state} with ${r.approvals.length} of ${required} approvals`,
      );
    }
    if (r.becameApproved !== (r.state === 'approved' ? 1 : 0)) {
      problems.push(
        `${r.id}: ${r.becameApproved} transitions to approved (state ${r.state})`,
      );
    }
    offsets.add(r.version - r.auditRecords);
  }
  if (offsets.size > 1) {
    problems.push(
      `versions and audit trails disagree: version - audit records is ${[
        ...offsets,
      ].join(', ')}`,
    );
  }
  return problems;
}
