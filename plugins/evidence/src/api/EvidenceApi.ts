import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  EvidenceFacets,
  EvidencePacketView,
  FilePreview,
  PacketList,
  Verdict,
} from '@internal/plugin-evidence-common';

/** Filters of the packet list; `entity` and `tenant` are entity refs. */
export interface PacketListFilter {
  area?: string;
  entity?: string;
  tenant?: string;
  verdict?: Verdict;
  /** `2026-01-02` or an ISO timestamp. */
  from?: string;
  /** `2026-01-02` (that whole day) or an ISO timestamp. */
  to?: string;
  limit?: number;
  offset?: number;
}

/** The evidence backend as the frontend sees it. */
export interface EvidenceApi {
  listPackets(filter?: PacketListFilter): Promise<PacketList>;
  getPacket(id: string): Promise<EvidencePacketView>;
  previewFile(id: string, path: string): Promise<FilePreview>;
  /** The file's bytes (the backend refuses files holding secret-like values). */
  downloadFile(id: string, path: string): Promise<Blob>;
  getFacets(): Promise<EvidenceFacets>;
}

export const evidenceApiRef = createApiRef<EvidenceApi>().with({
  id: 'plugin.evidence.api',
  pluginId: 'evidence',
});
