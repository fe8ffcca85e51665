import {
  FabricApiError,
  FabricBackendClient,
  queryString,
} from './FabricBackendClient';

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

const answering = (status: number, body: string, statusText = '') =>
  jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(body, { status, statusText }),
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
        '{"error":{"name":"InputError","message":"The thing is invalid:\\n- name: required"}}',
      ),
    );
    const error = await client.create({}).catch(e => e);
    expect(error).toBeInstanceOf(FabricApiError);
    expect(error).toMatchObject({
      statusCode: 400,
      name: 'InputError',
      message: 'The thing is invalid:\n- name: required',
    });
  });

  it('says which backend answered when the body is not an error', async () => {
    const client = new ThingsClient(answering(502, '<html>', 'Bad Gateway'));
    await expect(client.list({})).rejects.toThrow(
      'The things backend answered 502 Bad Gateway',
    );
  });

  it('builds an empty query string from nothing', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined, b: '' })).toBe('');
  });
});
