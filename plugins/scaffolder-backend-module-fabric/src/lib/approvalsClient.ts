import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  Proposal,
  ProposalSubmission,
} from '@internal/plugin-approvals-common';

/**
 * Calls the approvals backend on behalf of the user who started the task, so
 * the proposal's requester is that user and the permission policy judges that
 * user, never the scaffolder's own service identity.
 */
export class ApprovalsClient {
  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  async submit(
    submission: ProposalSubmission,
    credentials: BackstageCredentials,
  ): Promise<Proposal> {
    if (!this.deps.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        'Proposals are submitted as the signed-in user, and this task was not started by a user; run the template while signed in',
      );
    }
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'approvals',
    });
    const baseUrl = await this.deps.discovery.getBaseUrl('approvals');
    const res = await fetch(`${baseUrl}/proposals`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(submission),
    });
    const body = await res.json().catch(() => undefined);
    if (res.ok) return body as Proposal;

    const message: string =
      body?.error?.message ?? `the approvals backend answered ${res.status}`;
    switch (res.status) {
      case 400:
        throw new InputError(
          `The approvals backend refused the proposal: ${message}`,
        );
      case 401:
        throw new AuthenticationError(
          `The approvals backend did not accept the sign-in of the task's user: ${message}; sign in again and rerun the template`,
        );
      case 403:
        throw new NotAllowedError(
          `You may not submit proposals for ${submission.tenant} (${message}); only members of the tenant's owner group and operators may`,
        );
      case 404:
        throw new NotFoundError(
          `The approvals backend is not available (${message}); it must be installed in the backend`,
        );
      case 409:
        throw new ConflictError(message);
      default:
        throw new Error(
          `Submitting the proposal failed: the approvals backend answered ${res.status}: ${message}`,
        );
    }
  }
}
