import {
  Proposal,
  ProposalSubmission,
  proposalSubmissionSchema,
} from '@internal/plugin-approvals-common';
import { Actor } from '../service/actors';
import { ProposalService } from '../service/ProposalService';

/**
 * The set-up the promotion tests share: who asks and who approves, birds' tenant, the clock, a
 * promotion of birds-api out of runop-dev, and the two-operator approval it needs.
 */

/** A member of project-birds: submits. */
export const requester: Actor = {
  userRef: 'user:default/tina',
  roles: ['tenant'],
};
/** The two operators of the two-person rule. */
export const op1: Actor = { userRef: 'user:default/olga', roles: ['operator'] };
export const op2: Actor = {
  userRef: 'user:default/oscar',
  roles: ['operator'],
};

export const BIRDS = 'tenant:default/project-birds';
/** Monday 2030-01-07 10:00 UTC: the tests' clock, unless a test moves it. */
export const NOW = new Date('2030-01-07T10:00:00.000Z');

/** A promotion of birds-api 1.4.2 from runop-dev into `environment`, citing `packets`. */
export function birdsPromotion(
  environment: string,
  packets: Array<{ packetId: string; kind: string }>,
  overrides: Record<string, unknown> = {},
): ProposalSubmission {
  return proposalSubmissionSchema.parse({
    tenant: 'project-birds',
    type: 'promotion',
    environment,
    title: `Promote birds-api 1.4.2 to ${environment}`,
    change: {
      artefact: { kind: 'image', name: 'registry/birds-api', version: '1.4.2' },
      from: 'runop-dev',
      to: environment,
    },
    packets,
    ...overrides,
  });
}

/**
 * Submits as {@link requester}, then both operators claim and approve (no signature: the
 * environment must not require one). Fails the test unless it was validated and ends approved.
 */
export async function approvedByTwoOperators(
  service: ProposalService,
  submission: ProposalSubmission,
): Promise<Proposal> {
  const p = await service.submit(requester, submission);
  expect(p.state).toBe('validated');
  let done = p;
  for (const op of [op1, op2]) {
    await service.claim(op, p.id);
    done = await service.approve(op, p.id, {});
  }
  expect(done.state).toBe('approved');
  expect((await service.proposals.get(p.id)).state).toBe('approved');
  return done;
}
