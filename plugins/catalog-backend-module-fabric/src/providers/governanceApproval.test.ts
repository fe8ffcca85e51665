import { Decision, Proposal } from '@internal/plugin-approvals-common';
import { GpgHome } from '@internal/fabric-test-utils';
import { digestOf, findGovernanceApproval } from './governanceApproval';

/**
 * [CEO_APPROVED] with real gpg signatures: refused to operators, refused with a signature by
 * somebody else's key, accepted from a governance member signing with their own key.
 */
jest.setTimeout(60_000);

const GRETA = 'user:default/greta.governance';
const OLIVIA = 'user:default/olivia.operator';
const GRETA_UID = 'Greta <greta@example.com>';
const OLIVIA_UID = 'Olivia <olivia@example.com>';

const gpg = new GpgHome();
const keys: Record<string, string> = {};
beforeAll(() => {
  keys[GRETA] = gpg.generateKey(GRETA_UID);
  keys[OLIVIA] = gpg.generateKey(OLIVIA_UID);
});
afterAll(() => gpg.dispose());

const proposal = {
  id: 'p-rule',
  tenant: 'tenant:default/platform',
  type: 'new-rule',
  environment: 'resource:default/samakia-prod',
  title: 'New ZAKON rule cost-ceiling',
  change: { name: 'cost-ceiling' },
  requester: 'user:default/oscar.operator',
  evidence: [],
  submittedAt: '2026-11-20T10:00:00.000Z',
} as unknown as Proposal;

const directory = {
  isGovernanceMember: async (userRef: string) => userRef === GRETA,
  activeKeysOf: async (userRef: string) =>
    keys[userRef] ? [keys[userRef]] : [],
};

function approval(actor: string, signature?: string): Decision {
  return {
    id: `d-${actor}`,
    proposalId: proposal.id,
    kind: 'approval',
    actor,
    decidedAt: '2026-11-21T09:00:00.000Z',
    ...(signature ? { signature } : {}),
  };
}

describe('findGovernanceApproval', () => {
  it("refuses operators' approvals, even signed with their own key", async () => {
    const signed = gpg.sign(OLIVIA_UID, digestOf(proposal));
    const result = await findGovernanceApproval(
      proposal,
      [approval(OLIVIA, signed)],
      directory,
    );
    expect(result).toEqual({
      approved: false,
      reason: expect.stringContaining(
        `${OLIVIA} is not in the governance group`,
      ),
    });
  });

  it('accepts a governance member signing the digest with their own key', async () => {
    const signed = gpg.sign(GRETA_UID, digestOf(proposal));
    const result = await findGovernanceApproval(
      proposal,
      [approval(OLIVIA), approval(GRETA, signed)],
      directory,
    );
    expect(result).toMatchObject({
      approved: true,
      decision: { actor: GRETA },
      fingerprint: gpg.fingerprint(GRETA_UID).toUpperCase(),
    });
  });

  it("refuses a governance approval signed with another user's key", async () => {
    const signed = gpg.sign(OLIVIA_UID, digestOf(proposal));
    const result = await findGovernanceApproval(
      proposal,
      [approval(GRETA, signed)],
      directory,
    );
    expect(result).toEqual({
      approved: false,
      reason: expect.stringContaining(
        `${GRETA}'s signature does not verify with a key registered to them`,
      ),
    });
  });

  it('refuses an unsigned governance approval and a signature over other content', async () => {
    const otherDigest = digestOf({ ...proposal, title: 'Something else' });
    const result = await findGovernanceApproval(
      proposal,
      [
        approval(GRETA),
        { ...approval(GRETA, gpg.sign(GRETA_UID, otherDigest)), id: 'd2' },
      ],
      directory,
    );
    expect(result).toEqual({
      approved: false,
      reason: expect.stringMatching(/approval is not signed.*does not verify/),
    });
  });

  it('never counts a rejection', async () => {
    const signed = gpg.sign(GRETA_UID, digestOf(proposal));
    const result = await findGovernanceApproval(
      proposal,
      [{ ...approval(GRETA, signed), kind: 'rejection' }],
      directory,
    );
    expect(result.approved).toBe(false);
  });
});
