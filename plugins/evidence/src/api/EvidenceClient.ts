import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  EvidenceFacets,
  EvidencePacketView,
  FilePreview,
  PacketList,
} from '@internal/plugin-evidence-common';
import type { EvidenceApi, PacketListFilter } from './EvidenceApi';

const enc = encodeURIComponent;

/** An error answered by the evidence backend; its message names the problem and the fix. */
export class EvidenceApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, name: string, message: string) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
  }

  static async fromResponse(res: Response): Promise<EvidenceApiError> {
    let body: any;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const error = body?.error;
    if (error && typeof error.message === 'string') {
      return new EvidenceApiError(
        res.status,
        typeof error.name === 'string' ? error.name : 'Error',
        error.message,
      );
    }
    return new EvidenceApiError(
      res.status,
      'Error',
      `The evidence backend answered ${res.status}${
        res.statusText ? ` ${res.statusText}` : ''
      }`,
    );
  }
}

/** Talks to `/api/evidence` with the signed-in user's token (fetchApi attaches it). */
export class EvidenceClient implements EvidenceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listPackets(filter: PacketListFilter = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    const qs = query.toString();
    return this.json<PacketList>(`/packets${qs ? `?${qs}` : ''}`);
  }

  getPacket(id: string) {
    return this.json<EvidencePacketView>(`/packets/${enc(id)}`);
  }

  previewFile(id: string, path: string) {
    return this.json<FilePreview>(
      `/packets/${enc(id)}/preview?path=${enc(path)}`,
    );
  }

  async downloadFile(id: string, path: string): Promise<Blob> {
    const res = await this.fetch(
      `/packets/${enc(id)}/download?path=${enc(path)}`,
    );
    return res.blob();
  }

  getFacets() {
    return this.json<EvidenceFacets>('/facets');
  }

  private async fetch(path: string): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('evidence');
    const res = await this.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await EvidenceApiError.fromResponse(res);
    return res;
  }

  private async json<T>(path: string): Promise<T> {
    return (await this.fetch(path)).json();
  }
}
