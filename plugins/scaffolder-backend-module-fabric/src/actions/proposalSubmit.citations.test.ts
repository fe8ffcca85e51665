import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { ProposalSubmitter } from '../lib/proposalSubmitter';
import { actionContext } from '../__testUtils__/fixtures';
import { createProposalSubmitAction } from './proposalSubmit';

const quotas = {
  cpuCores: 8,
  memoryGiB: 48,
  storageGiB: 500,
  maxDatabases: 4,
  maxConnections: 200,
};
const PACKET = '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
const RUN = '11111111-1111-4111-8111-111111111111';
const runLink = { title: 'Drift run', url: 'http://portal.example/x' };

const input = (extra: Record<string, unknown>) => ({
  tenant: 'project-birds',
  type: 'capacity-change',
  environment: 'samakia-prod',
  title: 'More memory',
  change: { quotas },
  ...extra,
});

describe('fabric:proposal:submit citing packets and drift runs', () => {
  const mockDir = createMockDirectory();
  const submit = jest.fn();
  const check = jest.fn();
  const action = createProposalSubmitAction({
    approvals: { submit } as unknown as ProposalSubmitter,
    appBaseUrl: 'http://portal.example',
    citations: { check },
  });

  beforeEach(() => {
    submit.mockReset().mockResolvedValue({
      id: '0b7f9f3c-6b7a-4b7e-9e0c-3a7c1f1c2d3e',
      state: 'validated',
      requester: 'user:default/bea.birds',
    });
    check.mockReset().mockResolvedValue([runLink]);
  });

  it('checks the citations as the user, submits the packets and adds the runs as evidence links', async () => {
    const ctx = actionContext(
      input({
        packets: [{ packetId: PACKET, kind: 'verification' }],
        driftRuns: [RUN],
      }),
      { user: 'user:default/bea.birds', workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    const [citations, credentials] = check.mock.calls[0];
    expect(citations).toMatchObject({
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-prod',
      packets: [{ packetId: PACKET, kind: 'verification' }],
      driftRuns: [RUN],
    });
    expect(credentials.principal.userEntityRef).toBe('user:default/bea.birds');
    const [submission] = submit.mock.calls[0];
    expect(submission.packets).toEqual([
      { packetId: PACKET, kind: 'verification' },
    ]);
    expect(submission.driftRuns).toBeUndefined();
    expect(submission.evidence).toEqual([
      runLink,
      {
        title: 'Scaffolder task',
        url: 'http://portal.example/create/tasks/mock-task-id',
      },
    ]);
  });

  it('submits nothing when a citation is refused, and checks in a dry run too', async () => {
    check.mockRejectedValue(
      new InputError('packets[0].packetId: evidence packet x does not exist'),
    );
    for (const isDryRun of [false, true]) {
      const ctx = actionContext(
        input({ packets: [{ packetId: PACKET, kind: 'other' }] }),
        {
          user: 'user:default/bea.birds',
          workspacePath: mockDir.path,
          isDryRun,
        },
      );
      await expect(action.handler(ctx as any)).rejects.toThrow(
        'packets[0].packetId: evidence packet x does not exist',
      );
      expect(ctx.output).not.toHaveBeenCalled();
    }
    expect(submit).not.toHaveBeenCalled();
  });

  it('refuses a drift run id that is not a UUID, naming the field', async () => {
    const ctx = actionContext(input({ driftRuns: ['latest'] }), {
      user: 'user:default/bea.birds',
      workspacePath: mockDir.path,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/driftRuns/);
    expect(check).not.toHaveBeenCalled();
  });

  it('does not call the checker when nothing is cited', async () => {
    const ctx = actionContext(input({ packets: [], driftRuns: [] }), {
      user: 'user:default/bea.birds',
      workspacePath: mockDir.path,
    });
    await action.handler(ctx as any);
    expect(check).not.toHaveBeenCalled();
    expect(submit).toHaveBeenCalledTimes(1);
  });
});
