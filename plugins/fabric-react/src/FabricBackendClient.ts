import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';

export type QueryParams = Record<string, string | number | undefined>;

/** `?a=1&b=2` from the params that have a value; blanks are left out. */
export function queryString(params: QueryParams = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `?${qs}` : '';
}

/**
 * Base of the Fabric plugins' API clients: calls `/api/<pluginId>` with the signed-in user's
 * token (fetchApi attaches it) and turns any non-2xx answer into @backstage/errors' ResponseError
 * (the backend's own error in `cause`, shown by `errorMessage`).
 */
export abstract class FabricBackendClient {
  protected readonly discoveryApi: DiscoveryApi;
  protected readonly fetchApi: FetchApi;

  protected constructor(
    private readonly pluginId: string,
    options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The raw response of a request that succeeded (for downloads). */
  protected async send(
    method: string,
    path: string,
    options: { query?: QueryParams; body?: unknown } = {},
  ): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl(this.pluginId);
    const init: RequestInit = { method };
    if (options.body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const res = await this.fetchApi.fetch(
      `${base}${path}${queryString(options.query)}`,
      init,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  protected async request<T>(
    method: string,
    path: string,
    options: { query?: QueryParams; body?: unknown } = {},
  ): Promise<T> {
    return (await (await this.send(method, path, options)).json()) as T;
  }
}
