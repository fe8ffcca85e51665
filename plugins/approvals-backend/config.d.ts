import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Proposal and approval-gate rules. */
  approvals?: {
    /** How long a review claim lasts (default 30 minutes). */
    claimTtl?: HumanDuration | string;
    /** How long an open proposal may wait before it expires (default 14 days). */
    reviewTtl?: HumanDuration | string;
    /** How long after apply the operator has to verify or roll back (default 1 hour). */
    verifyWithin?: HumanDuration | string;
    /** Evidence packets older than this many days do not count at the gate (default 14). */
    evidenceMaxAgeDays?: number;
    /** Upper bounds for requested tenant quotas. */
    quotaMaxima?: {
      cpuCores?: number;
      memoryGiB?: number;
      storageGiB?: number;
      maxDatabases?: number;
      maxConnections?: number;
    };
    /** Rules per environment name (e.g. samakia-prod). */
    environments?: {
      [name: string]: {
        /** Defaults to true when the name ends in prod or production. */
        production?: boolean;
        /** Distinct approvers needed (production default 2, else 1). */
        requiredApprovals?: number;
        /** How long one approval stays valid (default 72 hours). */
        approvalTtl?: HumanDuration | string;
        /** Whether approvals must carry an OpenPGP signature (default: production). */
        requireSignature?: boolean;
        /**
         * Packet kinds a promotion into this environment must cite (eval-report,
         * dataset-manifest, compatibility, plan, verification, other): for each, at least one
         * packet that resolves ok and declares that kind in its signed packet.json. An unknown
         * kind stops the backend at start-up.
         */
        promotionPacketKinds?: string[];
        changeWindows?: Array<{
          name?: string;
          kind: 'allow' | 'deny';
          /** Cron expression of each window's start. */
          cron: string;
          duration: HumanDuration | string;
          /** IANA time zone (default UTC). */
          timeZone?: string;
        }>;
      };
    };
  };
}
