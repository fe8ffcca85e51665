import {
  PROPOSAL_STATES,
  approvalsPermissions,
  canTransition,
  canonicalJson,
  isTerminalState,
  parseProposalChange,
  proposalSubmissionSchema,
} from './index';

describe('approvals-common', () => {
  it('allows only the documented transitions; terminal states are final', () => {
    expect(canTransition('submitted', 'validated')).toBe(true);
    expect(canTransition('validated', 'in-review')).toBe(true);
    expect(canTransition('in-review', 'approved')).toBe(true);
    expect(canTransition('approved', 'applied')).toBe(true);
    expect(canTransition('submitted', 'approved')).toBe(false);
    expect(canTransition('validated', 'applied')).toBe(false);
    const fromTerminal = PROPOSAL_STATES.filter(isTerminalState).flatMap(
      state => PROPOSAL_STATES.filter(to => canTransition(state, to)),
    );
    expect(fromTerminal).toEqual([]);
  });

  it('canonicalises JSON independent of key order', () => {
    expect(
      canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }], u: undefined }),
    ).toBe('{"a":[true,{"c":"x","d":null}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('normalises refs and validates changes with the fabric schemas', () => {
    const parsed = proposalSubmissionSchema.parse({
      tenant: 'project-birds',
      type: 'capacity-change',
      environment: 'samakia-prod',
      title: 't',
      change: {},
    });
    expect(parsed).toMatchObject({
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-prod',
      evidence: [],
    });
    expect(
      proposalSubmissionSchema.safeParse({
        ...parsed,
        tenant: 'group:default/x',
      }).success,
    ).toBe(false);
    const bad = parseProposalChange('capacity-change', {
      quotas: { cpuCores: -1 },
    });
    expect(bad.success).toBe(false);
    const replace = parseProposalChange('binding-change', {
      action: 'replace',
      binding: {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-prod',
        endpoint: 'pg:5432',
      },
    });
    expect(replace.success).toBe(false);
  });

  it('defines one permission per action; tenant-scoped ones carry the proposal resource type', () => {
    expect(
      approvalsPermissions.map(p => [
        p.name,
        p.type === 'resource' ? p.resourceType : 'basic',
      ]),
    ).toEqual([
      ['approvals.proposal.read', 'approvals-proposal'],
      ['approvals.proposal.create', 'approvals-proposal'],
      ['approvals.proposal.withdraw', 'approvals-proposal'],
      ['approvals.proposal.claim', 'basic'],
      ['approvals.proposal.approve', 'basic'],
      ['approvals.proposal.reject', 'basic'],
      ['approvals.proposal.apply', 'basic'],
      ['approvals.gate.read', 'approvals-proposal'],
      ['approvals.audit.verify', 'basic'],
    ]);
  });
});
