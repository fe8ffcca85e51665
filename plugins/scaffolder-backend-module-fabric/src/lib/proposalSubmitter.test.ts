import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { userProposalSubmitter } from './proposalSubmitter';

describe('userProposalSubmitter', () => {
  const auth = mockServices.auth({ pluginId: 'scaffolder' });
  const submission = {
    tenant: 'tenant:default/project-birds',
    type: 'capacity-change' as const,
    environment: 'resource:default/samakia-prod',
    title: 'More',
    change: {},
    evidence: [],
  };
  const submit = jest.fn();
  const submitter = userProposalSubmitter({ auth, proposals: { submit } });

  beforeEach(() => submit.mockReset());

  it("submits in-process with the task user's credentials", async () => {
    submit.mockResolvedValue({ id: 'p1' });
    const credentials = mockCredentials.user('user:default/bea.birds');
    await expect(submitter.submit(submission, credentials)).resolves.toEqual({
      id: 'p1',
    });
    expect(submit).toHaveBeenCalledWith(submission, { credentials });
  });

  it('never submits with a service identity', async () => {
    await expect(
      submitter.submit(submission, mockCredentials.service()),
    ).rejects.toThrow('Proposals are submitted as the signed-in user');
    expect(submit).not.toHaveBeenCalled();
  });

  it.each([
    [new InputError('boom'), 'InputError', 'refused the proposal: boom'],
    [
      new NotAllowedError('boom'),
      'NotAllowedError',
      'You may not submit proposals for tenant:default/project-birds (boom)',
    ],
  ])('explains %s', async (error, name, message) => {
    submit.mockRejectedValue(error);
    await expect(
      submitter.submit(
        submission,
        mockCredentials.user('user:default/bea.birds'),
      ),
    ).rejects.toMatchObject({
      name,
      message: expect.stringContaining(message),
    });
  });
});
