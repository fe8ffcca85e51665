import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  Proposal,
  ProposalSubmission,
} from '@internal/plugin-approvals-common';
import { ApprovalsProposalsApi } from '@internal/plugin-approvals-node';

/** Submits a proposal on behalf of the user who started the task. */
export interface ProposalSubmitter {
  submit(
    submission: ProposalSubmission,
    credentials: BackstageCredentials,
  ): Promise<Proposal>;
}

/**
 * Submits through the approvals service ref (in-process) with the credentials of the user
 * who started the task, so the proposal's requester is that user and the permission policy
 * judges that user, never the scaffolder's own service identity.
 */
export function userProposalSubmitter(deps: {
  auth: AuthService;
  proposals: Pick<ApprovalsProposalsApi, 'submit'>;
}): ProposalSubmitter {
  return {
    async submit(submission, credentials) {
      if (!deps.auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'Proposals are submitted as the signed-in user, and this task was not started by a user; run the template while signed in',
        );
      }
      try {
        return await deps.proposals.submit(submission, { credentials });
      } catch (error) {
        // Say what it means for the person running the template; keep the type (and status).
        if (error instanceof InputError) {
          throw new InputError(
            `The approvals backend refused the proposal: ${error.message}`,
          );
        }
        if (error instanceof NotAllowedError) {
          throw new NotAllowedError(
            `You may not submit proposals for ${submission.tenant} (${error.message}); only members of the tenant's owner group and operators may`,
          );
        }
        throw error;
      }
    },
  };
}
