import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  DriftCurrent,
  DriftHistory,
  DriftOverview,
  DriftRunDetail,
} from '@internal/plugin-drift-common';
import type { DriftApi, DriftFilter } from './DriftApi';

/** An error answered by the drift backend; the message is the backend's own. */
export class DriftApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'DriftApiError';
    this.statusCode = statusCode;
  }

  static async fromResponse(res: Response): Promise<DriftApiError> {
    let body: any;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const message = body?.error?.message;
    return new DriftApiError(
      res.status,
      typeof message === 'string'
        ? message
        : `The drift backend answered ${res.status}${
            res.statusText ? ` ${res.statusText}` : ''
          }`,
    );
  }
}

/** Talks to `/api/drift` with the signed-in user's token (fetchApi attaches it). */
export class DriftClient implements DriftApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
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

  private async get<T>(
    path: string,
    params: Record<string, string | undefined>,
  ): Promise<T> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value) query.set(key, value);
    }
    const qs = query.toString();
    const base = await this.discoveryApi.getBaseUrl('drift');
    const res = await this.fetchApi.fetch(
      `${base}${path}${qs ? `?${qs}` : ''}`,
    );
    if (!res.ok) throw await DriftApiError.fromResponse(res);
    return (await res.json()) as T;
  }
}
