import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Decision,
  Proposal,
  canonicalJson,
  proposalDigestContent,
} from '@internal/plugin-approvals-common';
import {
  FabricRolesService,
  SigningKeysService,
  verifyDetachedSignature,
} from '@internal/plugin-fabric-node';
import { createHash } from 'node:crypto';

/** Who may give `[CEO_APPROVED]` and with which keys their signatures verify. */
export interface GovernanceDirectory {
  /** True only for a member of a governance group who is in no operator or admin group. */
  isGovernanceMember(userRef: string): Promise<boolean>;
  /** The armored active keys registered to the user (the one signing-key registry). */
  activeKeysOf(userRef: string): Promise<string[]>;
}

/** A governance member's approval whose signature verified with one of their own keys. */
export type GovernanceApproval =
  | { approved: true; decision: Decision; fingerprint: string }
  | { approved: false; reason: string };

/** The digest approvers sign: sha256 of the canonical proposal content. */
export function digestOf(proposal: Proposal): string {
  return createHash('sha256')
    .update(canonicalJson(proposalDigestContent(proposal)), 'utf8')
    .digest('hex');
}

/**
 * The `[CEO_APPROVED]` decision of a ZAKON proposal (seed 003: only the governance owner
 * gives it): an approval by a governance-group member, signed over the proposal digest with a
 * key the registry holds for that same member. Operators' approvals, unsigned approvals and
 * signatures by anybody else's key never count. The portal never grants it on its own.
 */
export async function findGovernanceApproval(
  proposal: Proposal,
  decisions: ReadonlyArray<Decision>,
  directory: GovernanceDirectory,
): Promise<GovernanceApproval> {
  const digest = digestOf(proposal);
  if (proposal.digest && proposal.digest !== digest) {
    return {
      approved: false,
      reason: `proposal ${proposal.id} does not match its recorded digest`,
    };
  }
  const reasons: string[] = [];
  const approvals = decisions
    .filter(d => d.kind === 'approval')
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  for (const decision of approvals) {
    if (!(await directory.isGovernanceMember(decision.actor))) {
      reasons.push(`${decision.actor} is not in the governance group`);
      continue;
    }
    if (!decision.signature) {
      reasons.push(`${decision.actor}'s approval is not signed`);
      continue;
    }
    const fingerprint = await verifyDetachedSignature({
      armoredKeys: await directory.activeKeysOf(decision.actor),
      text: digest,
      armoredSignature: decision.signature,
    });
    if (!fingerprint) {
      reasons.push(
        `${decision.actor}'s signature does not verify with a key registered to them`,
      );
      continue;
    }
    return { approved: true, decision, fingerprint };
  }
  return {
    approved: false,
    reason: `no signed approval by a governance member (${
      reasons.join('; ') || 'no approvals'
    })`,
  };
}

/** The governance directory from the catalog (group membership) and the key registry. */
export function catalogGovernanceDirectory(deps: {
  catalog: CatalogService;
  auth: AuthService;
  roles: FabricRolesService;
  signingKeys: Pick<SigningKeysService, 'activeKeysOf'>;
  logger: LoggerService;
}): GovernanceDirectory {
  return {
    async isGovernanceMember(userRef) {
      const governance = deps.roles.governanceGroups();
      if (governance.length === 0) return false;
      const reviewers = deps.roles.reviewerGroups();
      let user: Entity | undefined;
      try {
        user = await deps.catalog.getEntityByRef(userRef, {
          credentials: await deps.auth.getOwnServiceCredentials(),
        });
      } catch (error) {
        deps.logger.warn(`Could not read ${userRef}: ${error}`);
        return false;
      }
      const groups = (user?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef.toLocaleLowerCase('en-US'));
      return (
        groups.some(g => governance.includes(g)) &&
        !groups.some(g => reviewers.includes(g))
      );
    },
    async activeKeysOf(userRef) {
      const keys = await deps.signingKeys.activeKeysOf(
        userRef.toLocaleLowerCase('en-US'),
      );
      return keys.map(k => k.armoredKey);
    },
  };
}
