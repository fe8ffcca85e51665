import { FabricBackendClient, queryString } from './FabricBackendClient';
import { errorMessage } from './format';

class ThingsClient extends FabricBackendClient {
  constructor(fetch: jest.Mock) {
    super('things', {
      discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
      fetchApi: { fetch } as any,
    });
  }
  list(query: Record<string, string | number | undefined>) {
    return this.request<{ items: string[] }>('GET', '/things', { query });
  }
  create(body: object) {
    return this.request<{ id: string }>('POST', '/things', { body });
  }
}

const answering = (
  status: number,
  body: string,
  statusText = '',
  contentType = 'application/json',
) =>
  jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(body, {
        status,
        statusText,
        headers: { 'Content-Type': contentType },
      }),
  );

describe('FabricBackendClient', () => {
  it('leaves blank query values out and sends JSON bodies', async () => {
    const fetch = answering(200, '{"items":[]}');
    const client = new ThingsClient(fetch);
    await client.list({
      tenant: 'tenant:default/project-birds',
      area: '',
      limit: 5,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/things/things?tenant=tenant%3Adefault%2Fproject-birds&limit=5',
    );
    await client.create({ name: 'a' });
    expect(fetch.mock.calls[1][1]).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"a"}',
    });
  });

  it("keeps the backend's own error name and message", async () => {
    const client = new ThingsClient(
      answering(
        400,
        '{"error":{"name":"InputError","message":"The thing is invalid:\\n- name: required"},"response":{"statusCode":400}}',
      ),
    );
    const error = await client.create({}).catch(e => e);
    // @backstage/errors' ResponseError, with the backend's own error as its cause.
    expect(error).toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: {
        name: 'InputError',
        message: 'The thing is invalid:\n- name: required',
      },
    });
    expect(errorMessage(error)).toBe('The thing is invalid:\n- name: required');
  });

  it('describes an answer without an error body by its status', async () => {
    const client = new ThingsClient(
      answering(502, '<html>', 'Bad Gateway', 'text/html'),
    );
    const error = await client.list({}).catch(e => e);
    expect(errorMessage(error)).toBe('Request failed with 502 Bad Gateway');
  });

  it('builds an empty query string from nothing', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined, b: '' })).toBe('');
  });
});
