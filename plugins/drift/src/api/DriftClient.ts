import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { FabricBackendClient } from '@internal/plugin-fabric-react';
import type {
  DriftCurrent,
  DriftHistory,
  DriftOverview,
  DriftRunDetail,
} from '@internal/plugin-drift-common';
import type { DriftApi, DriftFilter } from './DriftApi';

/** Talks to `/api/drift` as the signed-in user. */
export class DriftClient extends FabricBackendClient implements DriftApi {
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super('drift', options);
  }

  getCurrent(filter: DriftFilter) {
    return this.get<DriftCurrent>('/current', { ...filter });
  }

  getHistory(filter: DriftFilter & { since?: string; limit?: number }) {
    return this.get<DriftHistory>('/history', {
      ...filter,
      limit: filter.limit === undefined ? undefined : String(filter.limit),
    });
  }

  getOverview() {
    return this.get<DriftOverview>('/overview', {});
  }

  getRun(id: string) {
    return this.get<DriftRunDetail>(`/runs/${encodeURIComponent(id)}`, {});
  }

  private get<T>(path: string, query: Record<string, string | undefined>) {
    return this.request<T>('GET', path, { query });
  }
}
