import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  Decision,
  Proposal,
  ZAKON_PROPOSAL_TYPES,
} from '@internal/plugin-approvals-common';
import { ClaimStore } from '../database/ClaimStore';
import { Actor } from './actors';
import { EnvironmentRules } from './rules';
import { SignatureVerifier } from './signatures';

/**
 * The checks on who acts, on top of the permission policy: reviewers are operators, never
 * tenants or CI and never the requester; one key backs one person; a claim is exclusive.
 */

/** Approvers are operators, never tenants or CI, and never the requester. */
export function assertReviewer(actor: Actor, proposal: Proposal, verb: string) {
  if (actor.roles.includes('tenant')) {
    throw new NotAllowedError(`Tenants never ${verb} proposals`);
  }
  // The governance owner decides ZAKON proposals (their signed approval is [CEO_APPROVED]).
  const governs =
    actor.roles.includes('governance') &&
    ZAKON_PROPOSAL_TYPES.includes(proposal.type);
  if (!actor.roles.includes('operator') && !governs) {
    throw new NotAllowedError(
      actor.roles.includes('governance')
        ? `The governance group only ${verb}s ZAKON proposals (${ZAKON_PROPOSAL_TYPES.join(
            ', ',
          )}); ${proposal.id} is a ${proposal.type}`
        : `Only operators ${verb} proposals`,
    );
  }
  if (proposal.requester === actor.userRef) {
    throw new NotAllowedError(
      `Nobody may ${verb} their own proposal; ${proposal.id} was requested by ${actor.userRef}`,
    );
  }
}

/** The requester withdraws their own proposal; an operator may withdraw or supersede any. */
export function isRequesterOrOperator(actor: Actor, proposal: Proposal) {
  return (
    proposal.requester === actor.userRef || actor.roles.includes('operator')
  );
}

export async function assertNotClaimedByOther(
  claims: ClaimStore,
  id: string,
  actor: Actor,
  now: string,
) {
  const claim = await claims.findActive(id, now);
  if (claim && claim.claimant !== actor.userRef) {
    throw new ConflictError(
      `Proposal ${id} is claimed by ${claim.claimant} until ${claim.expiresAt}`,
    );
  }
}

/**
 * When the environment needs signed approvals: the signature must verify with one of the
 * actor's active keys and that key must not back anybody else's decision on the proposal.
 * Returns the key's fingerprint (undefined when no signature is needed).
 */
export async function checkApprovalSignature(
  verifier: SignatureVerifier,
  actor: Actor,
  proposal: Proposal,
  rules: EnvironmentRules,
  signature: string | undefined,
  decisions: Decision[],
): Promise<string | undefined> {
  if (!rules.requireSignature) return undefined;
  if (!signature) {
    throw new InputError(
      `Approvals for ${proposal.environment} must be signed: supply an OpenPGP detached signature over the digest ${proposal.digest}`,
    );
  }
  const check = await verifier.verify({
    userRef: actor.userRef,
    digest: proposal.digest,
    armoredSignature: signature,
  });
  if (!check.valid) {
    throw new NotAllowedError(`Approval refused: ${check.message}`);
  }
  assertKeyNotReused(decisions, check.fingerprint, actor.userRef, proposal.id);
  return check.fingerprint;
}

/**
 * One key backs at most one person's decisions on a proposal: a signature that verifies with
 * a key already behind another user's decision is the same signer twice, whoever registered
 * the key (the registry keeps one owner per key, but a key may change hands after a
 * revocation, and decisions signed before this rule existed are still there).
 */
export function assertKeyNotReused(
  decisions: Decision[],
  fingerprint: string,
  actor: string,
  proposalId: string,
) {
  const other = decisions.find(
    d =>
      d.actor !== actor &&
      d.signingKeyFingerprint?.toUpperCase() === fingerprint.toUpperCase(),
  );
  if (other) {
    throw new ConflictError(
      `Approval refused: signing key ${fingerprint} already backs the ${other.kind} of ${other.actor} on proposal ${proposalId}; every approver signs with a key of their own`,
    );
  }
}
