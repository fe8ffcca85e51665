import { createMockDirectory } from '@backstage/backend-test-utils';
import { Proposal } from '@internal/plugin-approvals-common';
import { parse } from 'yaml';
import { ProposalSubmitter } from '../lib/proposalSubmitter';
import {
  actionContext,
  outputsOf,
  readWorkspace,
} from '../__testUtils__/fixtures';
import { createProposalSubmitAction } from './proposalSubmit';

const quotas = {
  cpuCores: 8,
  memoryGiB: 48,
  storageGiB: 500,
  maxDatabases: 4,
  maxConnections: 200,
};

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: '0b7f9f3c-6b7a-4b7e-9e0c-3a7c1f1c2d3e',
    tenant: 'tenant:default/project-birds',
    type: 'capacity-change',
    environment: 'resource:default/samakia-prod',
    title: 't',
    change: { quotas },
    requester: 'user:default/bea.birds',
    evidence: [],
    submittedAt: '2026-11-23T10:00:00.000Z',
    digest: 'a'.repeat(64),
    state: 'validated',
    version: 2,
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

describe('fabric:proposal:submit', () => {
  const mockDir = createMockDirectory();
  const submit = jest.fn();
  const action = createProposalSubmitAction({
    approvals: { submit } as unknown as ProposalSubmitter,
    appBaseUrl: 'http://portal.example',
  });
  const workspacePath = () => mockDir.resolve('workspace');

  beforeEach(() => {
    mockDir.clear();
    submit.mockReset();
  });

  it('submits as the initiating user and outputs the proposal link', async () => {
    submit.mockResolvedValue(proposal());
    const ctx = actionContext(
      {
        tenant: 'project-birds',
        type: 'capacity-change',
        environment: 'samakia-prod',
        title: 'More memory',
        change: { quotas },
        changeRef: 'mr!42',
      },
      { user: 'user:default/bea.birds', workspacePath: workspacePath() },
    );
    await action.handler(ctx as any);

    expect(submit).toHaveBeenCalledTimes(1);
    const [submission, credentials] = submit.mock.calls[0];
    expect(submission).toEqual({
      tenant: 'tenant:default/project-birds',
      type: 'capacity-change',
      environment: 'resource:default/samakia-prod',
      title: 'More memory',
      change: { quotas },
      changeRef: 'mr!42',
      // The task that filed it, so the proposal page links back to it.
      evidence: [
        {
          title: 'Scaffolder task',
          url: 'http://portal.example/create/tasks/mock-task-id',
        },
      ],
    });
    // The credentials of the task's user, not a service identity.
    expect(credentials.principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/bea.birds',
    });
    expect(outputsOf(ctx)).toEqual({
      proposalId: proposal().id,
      proposalUrl: `http://portal.example/approvals/proposals/${proposal().id}`,
      // An app path: the task page's output link opens it in the same tab.
      proposalPath: `/approvals/proposals/${proposal().id}`,
      state: 'validated',
      digest: 'a'.repeat(64),
    });
  });

  it('dry run: validates, records a placeholder and submits nothing', async () => {
    mockDir.setContent({
      'workspace/catalog-info.yaml':
        '# header stays\napiVersion: fabric.samakia.io/v1alpha1\nkind: Tenant\nmetadata:\n  name: project-wren\n',
    });
    const ctx = actionContext(
      {
        tenant: 'project-wren',
        type: 'new-tenant',
        environment: 'samakia-dev',
        title: 'New tenant',
        change: {
          name: 'project-wren',
          spec: {
            owner: 'team-birds',
            environments: ['samakia-dev'],
            consumers: [],
            quotas,
          },
        },
        recordIn: 'catalog-info.yaml',
      },
      { workspacePath: workspacePath(), isDryRun: true },
    );
    await action.handler(ctx as any);
    expect(submit).not.toHaveBeenCalled();
    expect(outputsOf(ctx)).toMatchObject({
      proposalId: 'dry-run',
      state: 'dry-run',
    });
    const text = readWorkspace(workspacePath(), 'catalog-info.yaml');
    expect(text.startsWith('# header stays\n')).toBe(true);
    expect(parse(text).metadata.annotations).toEqual({
      'fabric.samakia.io/proposal-id': 'dry-run',
    });
  });

  it('refuses an invalid change before submitting, naming the field', async () => {
    const ctx = actionContext(
      {
        tenant: 'project-birds',
        type: 'capacity-change',
        environment: 'samakia-prod',
        title: 'Negative',
        change: { quotas: { ...quotas, memoryGiB: -1 } },
      },
      { workspacePath: workspacePath() },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /quotas\.memoryGiB: -1 is negative/,
    );
    expect(submit).not.toHaveBeenCalled();
  });

  it('checks a new tenant as the entity it will become', async () => {
    const ctx = actionContext(
      {
        tenant: 'project-wren',
        type: 'new-tenant',
        environment: 'samakia-dev',
        title: 'New tenant',
        change: {
          name: 'project-wren',
          spec: {
            owner: 'team-birds',
            environments: ['samakia-dev'],
            consumers: [
              { provider: 'postgres', variant: 'single', enabled: true },
            ],
            quotas,
            bindings: [
              {
                workload: 'api',
                consumer: 'postgres',
                environment: 'samakia-prod',
                endpoint: 'db.example:5432',
              },
            ],
          },
        },
      },
      { workspacePath: workspacePath() },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /samakia-prod is not one of the tenant's environments/,
    );
    expect(submit).not.toHaveBeenCalled();
  });

  it('fails with the reasons when the gate rejects the proposal', async () => {
    submit.mockResolvedValue(
      proposal({
        state: 'rejected',
        validation: {
          ok: false,
          checkedAt: '2026-11-23T10:00:00.000Z',
          problems: [
            {
              path: 'change.quotas.cpuCores',
              message: '99 is above the configured maximum 64',
            },
          ],
        },
      }),
    );
    const ctx = actionContext(
      {
        tenant: 'project-birds',
        type: 'capacity-change',
        environment: 'samakia-prod',
        title: 'Too much',
        change: { quotas: { ...quotas, cpuCores: 99 } },
      },
      { workspacePath: workspacePath() },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /rejected the proposal in its automatic validation[\s\S]*change\.quotas\.cpuCores: 99 is above/,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('treats a blank change reference as none', async () => {
    submit.mockResolvedValue(proposal());
    const ctx = actionContext(
      {
        tenant: 'project-birds',
        type: 'capacity-change',
        environment: 'samakia-prod',
        title: 'More memory',
        change: { quotas },
        changeRef: '',
      },
      { workspacePath: workspacePath() },
    );
    await action.handler(ctx as any);
    expect(submit.mock.calls[0][0].changeRef).toBeUndefined();
  });
});
