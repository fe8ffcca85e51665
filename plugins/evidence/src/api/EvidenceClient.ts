import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { FabricBackendClient } from '@internal/plugin-fabric-react';
import type {
  EvidenceFacets,
  EvidencePacketView,
  FilePreview,
  PacketList,
} from '@internal/plugin-evidence-common';
import type { EvidenceApi, PacketListFilter } from './EvidenceApi';

const enc = encodeURIComponent;

/** Talks to `/api/evidence` as the signed-in user. */
export class EvidenceClient extends FabricBackendClient implements EvidenceApi {
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super('evidence', options);
  }

  listPackets(filter: PacketListFilter = {}) {
    return this.request<PacketList>('GET', '/packets', {
      query: { ...filter },
    });
  }

  getPacket(id: string) {
    return this.request<EvidencePacketView>('GET', `/packets/${enc(id)}`);
  }

  previewFile(id: string, path: string) {
    return this.request<FilePreview>('GET', `/packets/${enc(id)}/preview`, {
      query: { path },
    });
  }

  async downloadFile(id: string, path: string): Promise<Blob> {
    const res = await this.send('GET', `/packets/${enc(id)}/download`, {
      query: { path },
    });
    return res.blob();
  }

  getFacets() {
    return this.request<EvidenceFacets>('GET', '/facets');
  }
}
