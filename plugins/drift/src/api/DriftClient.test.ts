import { errorMessage } from '@internal/plugin-fabric-react';
import { DriftClient } from './DriftClient';

function clientAnswering(status: number, body: unknown) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const client = new DriftClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/drift' },
    fetchApi: { fetch } as any,
  });
  return { client, fetch };
}

describe('DriftClient', () => {
  it('asks the backend with the filter in the query string, leaving out blanks', async () => {
    const { client, fetch } = clientAnswering(200, { items: [] });
    await client.getHistory({
      tenant: 'tenant:default/project-birds',
      environment: '',
      limit: 50,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/drift/history?tenant=tenant%3Adefault%2Fproject-birds&limit=50',
    );
    await client.getOverview();
    expect(fetch.mock.calls[1][0]).toBe('http://backend/api/drift/overview');
  });

  it("passes the backend's own error message on", async () => {
    const { client } = clientAnswering(400, {
      error: {
        name: 'InputError',
        message: 'The query is invalid:\n- limit: ...',
      },
      response: { statusCode: 400 },
    });
    const error = await client
      .getCurrent({ entity: 'plane:minio' })
      .catch(e => e);
    expect(error).toMatchObject({ name: 'ResponseError', statusCode: 400 });
    expect(errorMessage(error)).toBe('The query is invalid:\n- limit: ...');
  });
});
