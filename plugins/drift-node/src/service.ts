import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DriftCurrent,
  DriftHistory,
  DriftHistoryQueryInput,
  driftCurrentQuerySchema,
} from '@internal/plugin-drift-common';
import { z } from 'zod';

/**
 * Who the call is made for. The drift backend applies the permission checks of its HTTP
 * API to these credentials (a tenant member sees its tenants' runs only).
 */
export interface DriftCallOptions {
  credentials: BackstageCredentials;
}

/** Filter of {@link DriftService.current}, as `GET /current` takes it. */
export type DriftCurrentQueryInput = z.input<typeof driftCurrentQuerySchema>;

/** What the drift backend offers other backend plugins in-process. */
export interface DriftService {
  /**
   * The newest run per source and environment matching the filter, with their findings and
   * the worst verdict, like `GET /current`. InputError for a filter the schema refuses.
   */
  current(
    query: DriftCurrentQueryInput,
    options: DriftCallOptions,
  ): Promise<DriftCurrent>;
  /**
   * Runs matching the filter, oldest first, like `GET /history` (30 days back unless
   * `since` says otherwise), limited to the tenants the caller may read.
   */
  history(
    query: DriftHistoryQueryInput,
    options: DriftCallOptions,
  ): Promise<DriftHistory>;
  /**
   * The worst verdict of a tenant's newest runs in one environment, with no permission
   * check: for a plugin that gates on it (approvals refuses a promotion into FAIL drift).
   */
  targetVerdict(target: {
    tenant: string;
    environment: string;
  }): Promise<DriftTargetVerdict>;
}

/** The drift of one promotion target, as approvals records it. */
export interface DriftTargetVerdict {
  verdict: 'PASS' | 'WARN' | 'FAIL' | 'NONE';
  summary: string;
}
