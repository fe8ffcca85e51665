import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { FabricBackendClient } from '@internal/plugin-fabric-react';
import type {
  AcceptanceHealth,
  ImpactReport,
} from '@internal/plugin-fabric-common';
import { useMemo } from 'react';

/** The health card's data, as GET /api/fabric-ops/health answers it. */
export interface EntityHealth extends AcceptanceHealth {
  entity: string;
  problems: string[];
  drift?: string;
  /** Proposals of the consuming tenants, or naming the entity, not yet closed; absent when the caller may not read proposals. */
  openProposals?: Array<{
    id: string;
    title: string;
    tenant: string;
    state: string;
    submittedAt: string;
  }>;
  access: 'platform' | 'consumer';
}

/** Mission Control claim leases, as GET /api/fabric-ops/mission-control/leases answers them. */
export interface MissionControlLeases {
  source: string;
  exportedAt: string;
  defaultTtlMinutes: number;
  leases: Array<{
    taskId: number;
    title?: string;
    holder: string;
    leaseUntil: string;
    state: 'held' | 'expired';
  }>;
  sweeps: Array<{ at: string; expired: number[]; autoRelease: boolean }>;
}

/** Client of the fabric-ops backend (read-only operations views). */
export class FabricOpsClient extends FabricBackendClient {
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super('fabric-ops', options);
  }

  async failureDomains(): Promise<string[]> {
    return (await this.request<{ items: string[] }>('GET', '/failure-domains'))
      .items;
  }

  impact(failureDomain: string): Promise<ImpactReport> {
    return this.request('GET', '/impact', { query: { failureDomain } });
  }

  health(entity: string): Promise<EntityHealth> {
    return this.request('GET', '/health', { query: { entity } });
  }

  missionControlLeases(): Promise<MissionControlLeases> {
    return this.request('GET', '/mission-control/leases');
  }
}

export function useFabricOpsClient(): FabricOpsClient {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new FabricOpsClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
}
