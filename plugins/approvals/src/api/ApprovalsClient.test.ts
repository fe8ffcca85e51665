import { mockApis } from '@backstage/frontend-test-utils';
import { ApprovalsApiError, ApprovalsClient } from './ApprovalsClient';

type Call = { url: string; init?: RequestInit };

/** A fetch that records calls and answers with the given status and JSON body. */
function fetchAnswering(status: number, body: unknown) {
  const calls: Call[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return {
        ok: status < 400,
        status,
        statusText: '',
        json: async () => body,
      } as unknown as Response;
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
    expect(error).toBeInstanceOf(ApprovalsApiError);
    expect(error.message).toBe(message);
    expect(error.name).toBe('ConflictError');
    expect(error.statusCode).toBe(409);
  });

  it('describes a failure without a JSON error body by its status', async () => {
    const fetchApi = {
      fetch: async () =>
        ({
          ok: false,
          status: 502,
          statusText: 'Bad Gateway',
          json: async () => {
            throw new SyntaxError('Unexpected token <');
          },
        } as unknown as Response),
    };
    const client = new ApprovalsClient({ discoveryApi, fetchApi });
    await expect(client.getProposal('p1')).rejects.toThrow(
      'The approvals backend answered 502 Bad Gateway',
    );
  });
});
