import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ApprovalsClient } from './approvalsClient';

describe('ApprovalsClient', () => {
  const auth = mockServices.auth({ pluginId: 'scaffolder' });
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async (id: string) => `http://backend.test/api/${id}`,
  });
  const client = new ApprovalsClient({ auth, discovery });
  const submission = {
    tenant: 'tenant:default/project-birds',
    type: 'capacity-change' as const,
    environment: 'resource:default/samakia-prod',
    title: 'More',
    change: {},
    evidence: [],
  };
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    fetchSpy = jest.spyOn(global, 'fetch');
  });
  afterEach(() => fetchSpy.mockRestore());

  it('posts with a token on behalf of the user, for the approvals plugin', async () => {
    fetchSpy.mockResolvedValue(
      new Response(JSON.stringify({ id: 'p1' }), { status: 201 }),
    );
    await client.submit(
      submission,
      mockCredentials.user('user:default/bea.birds'),
    );
    const [url, init] = fetchSpy.mock.calls[0];
    expect(url).toBe('http://backend.test/api/approvals/proposals');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual(submission);
    const token = init.headers.Authorization.replace('Bearer ', '');
    // The mock auth service encodes who the token acts for and whom it is for.
    expect(token).toContain('user:default/bea.birds');
    expect(token).toContain('"target":"approvals"');
  });

  it('never submits with a service identity', async () => {
    await expect(
      client.submit(submission, mockCredentials.service()),
    ).rejects.toThrow('Proposals are submitted as the signed-in user');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it.each([
    [400, 'InputError', 'refused the proposal'],
    [
      403,
      'NotAllowedError',
      'You may not submit proposals for tenant:default/project-birds',
    ],
    [409, 'ConflictError', 'boom'],
  ])('maps %s to %s', async (status, name, message) => {
    fetchSpy.mockResolvedValue(
      new Response(JSON.stringify({ error: { message: 'boom' } }), { status }),
    );
    await expect(
      client.submit(submission, mockCredentials.user('user:default/bea.birds')),
    ).rejects.toMatchObject({
      name,
      message: expect.stringContaining(message),
    });
  });
});
