import { mockApis } from '@backstage/frontend-test-utils';
import { errorMessage } from '@internal/plugin-fabric-react';
import { ApprovalsClient } from './ApprovalsClient';

type Call = { url: string; init?: RequestInit };

/** A fetch that records calls and answers with the given status and JSON body. */
function fetchAnswering(status: number, body: unknown) {
  const calls: Call[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    },
  };
  return { fetchApi, calls };
}

const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });
const base = 'http://backend.test/api/approvals';

describe('ApprovalsClient', () => {
  it('sends list filters as query parameters and leaves empty ones out', async () => {
    const { fetchApi, calls } = fetchAnswering(200, { items: [] });
    const client = new ApprovalsClient({ discoveryApi, fetchApi });
    await client.listProposals({
      view: 'review',
      tenant: 'tenant:default/project-birds',
      state: undefined,
    });
    expect(calls[0].url).toBe(
      `${base}/proposals?view=review&tenant=tenant%3Adefault%2Fproject-birds`,
    );
    expect(calls[0].init?.method).toBe('GET');
    expect(calls[0].init?.body).toBeUndefined();
  });

  it('posts actions as JSON to the proposal', async () => {
    const { fetchApi, calls } = fetchAnswering(200, {});
    const client = new ApprovalsClient({ discoveryApi, fetchApi });
    await client.approve('p 1', {
      comment: 'ok',
      override: { reason: 'hotfix', trackingRef: 'OPS-1' },
    });
    expect(calls[0].url).toBe(`${base}/proposals/p%201/approve`);
    expect(calls[0].init?.method).toBe('POST');
    expect(calls[0].init?.headers).toEqual({
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({
      comment: 'ok',
      override: { reason: 'hotfix', trackingRef: 'OPS-1' },
    });
  });

  it("throws the backend's error message as it is, with its status", async () => {
    const message =
      'Proposal p1 was requested by user:default/ops.one; another operator must approve it (two-person rule)';
    const { fetchApi } = fetchAnswering(409, {
      error: { name: 'ConflictError', message },
      response: { statusCode: 409 },
    });
    const client = new ApprovalsClient({ discoveryApi, fetchApi });
    const error = await client.approve('p1', {}).catch(e => e);
    expect(error).toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      cause: { name: 'ConflictError', message },
    });
    expect(errorMessage(error)).toBe(message);
  });

  it('describes a failure without a JSON error body by its status', async () => {
    const fetchApi = {
      fetch: async () =>
        new Response('<html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html' },
        }),
    };
    const client = new ApprovalsClient({ discoveryApi, fetchApi });
    const error = await client.getProposal('p1').catch(e => e);
    expect(errorMessage(error)).toBe('Request failed with 502 Bad Gateway');
  });
});
