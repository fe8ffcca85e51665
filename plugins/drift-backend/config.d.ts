import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Drift signals (plugins/drift-backend). */
  drift?: {
    retention?: {
      /**
       * How long runs are kept (default 90 days). The newest run of each
       * entity/tenant/environment/source is always kept: it is the current state.
       */
      maxAge?: HumanDuration | string;
      /** How often the cleanup runs (default hourly). */
      frequency?: HumanDuration | string;
    };
    /** Verdicts for Terraform's resource_drift entries, by what happened outside Terraform. */
    terraform?: {
      verdicts?: {
        /** Attributes changed (actions ["update"]); default WARN. */
        modified?: 'PASS' | 'WARN' | 'FAIL';
        /** Deleted (actions ["delete"]); default FAIL. */
        missing?: 'PASS' | 'WARN' | 'FAIL';
        /** Appeared (actions ["create"]); default WARN. */
        unmanaged?: 'PASS' | 'WARN' | 'FAIL';
      };
      /**
       * Whether null on one side of a resource_drift entry and an empty list or map on the
       * other count as the same value (default true): providers write either for "nothing
       * set", e.g. the AWS provider's tags. Set false to report such entries as modified.
       */
      nullEqualsEmpty?: boolean;
    };
    /**
     * Runbooks linked from the Drift tab: names or refs of runbook Resources
     * in the catalog. A link only shows when the runbook exists.
     */
    runbooks?: {
      /** The general drift runbook. */
      default?: string;
      byResourceType?: { [resourceType: string]: string };
      byProvider?: { [provider: string]: string };
    };
    notifications?: {
      /** Default false (every sink off): signal owners through Backstage notifications. */
      enabled?: boolean;
      /** A WARN is signalled once it persists for this many consecutive runs (default 3). */
      warnAfterRuns?: number;
      /** Groups told about every signal besides the owners (operator wording). */
      recipients?: string[];
      /**
       * The explicit tenant allowlist: a tenant's drift is signalled only when the tenant is
       * listed, and only for the listed providers. No wildcards (refused at start-up).
       */
      tenants?: Array<{
        /** Tenant ref, e.g. tenant:default/project-birds. */
        tenant: string;
        /** Providers whose drift is signalled, e.g. [postgres]; at least one. */
        providers: string[];
      }>;
      /** Notifications raised inside these hours are held until they end. */
      quietHours?: Array<{
        /** HH:MM, 24-hour clock. */
        start: string;
        end: string;
        /** IANA time zone (default UTC). */
        timeZone?: string;
        /** Only for these environments (default: all). */
        environments?: string[];
      }>;
      /** Drift observed inside a window is expected: no notification. */
      maintenanceWindows?: Array<{
        name?: string;
        /** Cron expression of each window's start. */
        cron: string;
        duration: HumanDuration | string;
        timeZone?: string;
        environments?: string[];
      }>;
      /** Delivery outside the portal; off unless enabled. */
      external?: {
        enabled?: boolean;
        /** JSON POST of each notification to these URLs. */
        webhooks?: Array<{
          url: string;
          /**
           * @visibility secret
           */
          headers?: { [name: string]: string };
        }>;
      };
    };
  };
}
