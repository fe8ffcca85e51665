import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Proposal } from '@internal/plugin-approvals-common';

/** Tells people when a proposal needs them or was decided. */
export interface ProposalNotifier {
  /** The proposal waits for review; `excluded` already acted on it. */
  awaitingReview(proposal: Proposal, excluded: string[]): Promise<void>;
  /** The requester learns the outcome (approved, rejected, expired, applied...). */
  decided(proposal: Proposal, summary: string): Promise<void>;
  /** An applied proposal was not verified (or rolled back) in time. */
  verifyOverdue(proposal: Proposal, summary: string): Promise<void>;
}

export const silentNotifier: ProposalNotifier = {
  async awaitingReview() {},
  async decided() {},
  async verifyOverdue() {},
};

/**
 * Sends through Backstage notifications. A failed notification is logged and
 * never undoes or fails the decision that triggered it.
 */
export class BackstageProposalNotifier implements ProposalNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly reviewerGroups: string[],
    private readonly logger: LoggerService,
  ) {}

  private link(proposal: Proposal) {
    return `/approvals/proposals/${proposal.id}`;
  }

  async awaitingReview(proposal: Proposal, excluded: string[]) {
    if (this.reviewerGroups.length === 0) return;
    await this.send(proposal, {
      recipients: {
        type: 'entity',
        entityRef: this.reviewerGroups,
        // Nobody reviews their own proposal, and an approver does not approve twice.
        excludeEntityRef: [proposal.requester, ...excluded],
      },
      payload: {
        title: `Review needed: ${proposal.title}`,
        description: `${proposal.type} for ${proposal.tenant} in ${proposal.environment}, requested by ${proposal.requester}`,
        link: this.link(proposal),
        severity: 'high',
        topic: 'approvals-review',
        scope: `approvals:${proposal.id}:review`,
      },
    });
  }

  async decided(proposal: Proposal, summary: string) {
    await this.send(proposal, {
      recipients: { type: 'entity', entityRef: proposal.requester },
      payload: {
        title: `Proposal ${proposal.state}: ${proposal.title}`,
        description: summary,
        link: this.link(proposal),
        severity: proposal.state === 'rejected' ? 'high' : 'normal',
        topic: 'approvals-decision',
        scope: `approvals:${proposal.id}:decision`,
      },
    });
  }

  async verifyOverdue(proposal: Proposal, summary: string) {
    await this.send(proposal, {
      recipients: {
        type: 'entity',
        // The operators (who verify) and whoever applied and asked for it.
        entityRef: [
          ...new Set([
            ...this.reviewerGroups,
            proposal.requester,
            ...(proposal.appliedBy ? [proposal.appliedBy] : []),
          ]),
        ],
      },
      payload: {
        title: `Verify overdue: ${proposal.title}`,
        description: summary,
        link: this.link(proposal),
        severity: 'high',
        topic: 'approvals-verify-overdue',
        scope: `approvals:${proposal.id}:verify-overdue`,
      },
    });
  }

  private async send(
    proposal: Proposal,
    options: Parameters<NotificationService['send']>[0],
  ) {
    try {
      await this.notifications.send(options);
    } catch (error) {
      this.logger.warn(
        `Could not send the notification for proposal ${proposal.id}: ${error}`,
      );
    }
  }
}
