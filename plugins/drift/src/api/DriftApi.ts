import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DriftCurrent,
  DriftHistory,
  DriftOverview,
  DriftRunDetail,
} from '@internal/plugin-drift-common';

/**
 * Which drift to read. Refs may be full (`tenant:default/project-birds`) or, for tenants, short
 * names; the backend canonicalises them.
 */
export interface DriftFilter {
  tenant?: string;
  entity?: string;
  environment?: string;
}

/** The drift backend as the frontend sees it: read-only, like the portal's view of drift. */
export interface DriftApi {
  getCurrent(filter: DriftFilter): Promise<DriftCurrent>;
  getHistory(
    filter: DriftFilter & { since?: string; limit?: number },
  ): Promise<DriftHistory>;
  getOverview(): Promise<DriftOverview>;
  getRun(id: string): Promise<DriftRunDetail>;
}

export const driftApiRef = createApiRef<DriftApi>().with({
  id: 'plugin.drift.api',
  pluginId: 'drift',
});
