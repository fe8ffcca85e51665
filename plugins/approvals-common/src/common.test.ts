import { createHash } from 'node:crypto';
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

  it('is RFC 8785 and gives the bytes the hand-written canonicaliser gave (stored digests stay valid)', () => {
    const sample = {
      type: 'capacity-change',
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-prod',
      change: {
        quotas: { memoryGiB: 48, cpuCores: 8 },
        note: 'Grüße, 東京 \u2028 "q" \\ é',
        big: 1e21,
        small: 1e-7,
        neg: -0,
        frac: 0.1 + 0.2,
      },
      evidence: [{ packetId: 'abc', kind: 'EvalReport' }],
      empty: {},
      list: [],
      '\u00e9': 1,
      a: 2,
      B: 3,
      '\ud83d\ude00': 4,
    };
    // Recorded from the previous implementation before the switch to `canonicalize`:
    // keys in UTF-16 order (B < a < é < 😀), ECMAScript numbers (1e+21, 1e-7, 0).
    const text = canonicalJson(sample);
    expect(text).toBe(
      '{"B":3,"a":2,"change":{"big":1e+21,"frac":0.30000000000000004,"neg":0,"note":"Grüße, 東京 \u2028 \\"q\\" \\\\ é","quotas":{"cpuCores":8,"memoryGiB":48},"small":1e-7},"empty":{},"environment":"resource:default/samakia-prod","evidence":[{"kind":"EvalReport","packetId":"abc"}],"list":[],"tenant":"tenant:default/project-birds","type":"capacity-change","é":1,"😀":4}',
    );
    expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(
      '0c92002deddfcb51fee8c3dfd3ceef116e2a9a2967527360a3329f3fc0ca6565',
    );
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson(undefined)).toThrow(/undefined/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Infinity])).toThrow(/Infinity/);
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
