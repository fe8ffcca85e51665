import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  actionContext,
  catalogEntities,
  outputsOf,
  readWorkspace,
} from '../__testUtils__/fixtures';
import { createTenantDiffAction } from './tenantDiff';

describe('fabric:tenant:diff', () => {
  const mockDir = createMockDirectory();
  const action = createTenantDiffAction({
    catalog: catalogServiceMock({ entities: catalogEntities }),
  });
  const run = (input: Record<string, unknown>) => {
    const ctx = actionContext(input, {
      user: 'user:default/bea.birds',
      workspacePath: mockDir.resolve('workspace'),
    });
    return { ctx, done: action.handler(ctx as any) };
  };

  beforeEach(() => mockDir.clear());

  it('keeps blank quotas and shows what changes', async () => {
    const { ctx, done } = run({
      tenant: 'project-birds',
      environment: 'samakia-prod',
      changeType: 'capacity-change',
      quotas: { memoryGiB: 48, cpuCores: '' },
    });
    await done;
    const out = outputsOf(ctx);
    expect(out.change).toEqual({
      quotas: {
        cpuCores: 8,
        memoryGiB: 48,
        storageGiB: 500,
        maxDatabases: 4,
        maxConnections: 200,
      },
    });
    expect(out.changedFields).toEqual(['quotas.memoryGiB']);
    expect(out.summary).toContain('| quotas.memoryGiB | 32 | 48 |');
    expect(out.title).toBe(
      'Capacity change for project-birds in samakia-prod: memoryGiB 32 → 48',
    );
    expect(
      readWorkspace(mockDir.resolve('workspace'), 'proposal.md'),
    ).toContain('memoryGiB: 48');
  });

  it('refuses a change that changes nothing', async () => {
    await expect(
      run({
        tenant: 'project-birds',
        environment: 'samakia-prod',
        changeType: 'capacity-change',
        quotas: { memoryGiB: 32 },
      }).done,
    ).rejects.toThrow('change at least one quota');
  });

  it('replace finds the current binding and records it as previous', async () => {
    const { ctx, done } = run({
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-dev',
      changeType: 'binding-change',
      binding: {
        action: 'replace',
        workload: 'api',
        consumer: 'postgres',
        endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
      },
    });
    await done;
    expect(outputsOf(ctx).change).toEqual({
      action: 'replace',
      binding: {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-dev',
        endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
        service: 'component:default/samakia-executor-postgres',
      },
      previous: {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-dev',
        endpoint: 'postgres-birds-dev.infra.samakia.net:5432',
        service: 'component:default/samakia-executor-postgres',
      },
    });
  });

  it('refuses to add a binding that exists, and to bind a disabled or unknown consumer', async () => {
    await expect(
      run({
        tenant: 'project-birds',
        environment: 'samakia-dev',
        changeType: 'binding-change',
        binding: {
          action: 'add',
          workload: 'api',
          consumer: 'postgres',
          endpoint: 'x.example:5432',
        },
      }).done,
    ).rejects.toThrow(
      /already bound to postgres-birds-dev\.infra\.samakia\.net:5432; choose replace/,
    );
    await expect(
      run({
        tenant: 'project-birds',
        environment: 'samakia-dev',
        changeType: 'binding-change',
        binding: {
          action: 'add',
          workload: 'search',
          consumer: 'qdrant',
          endpoint: 'qdrant.example:6334',
        },
      }).done,
    ).rejects.toThrow(/'qdrant' is not one of this tenant's consumers/);
  });

  it('refuses an environment the tenant does not run in and a bad endpoint', async () => {
    await expect(
      run({
        tenant: 'project-orchard',
        environment: 'samakia-staging',
        changeType: 'capacity-change',
        quotas: { cpuCores: 5 },
      }).done,
    ).rejects.toThrow(/does not run in resource:default\/samakia-staging/);
    await expect(
      run({
        tenant: 'project-birds',
        environment: 'samakia-dev',
        changeType: 'binding-change',
        binding: {
          action: 'add',
          workload: 'w',
          consumer: 'postgres',
          endpoint: 'no-port',
        },
      }).done,
    ).rejects.toThrow(/binding\.endpoint: "no-port" is not an endpoint/);
  });

  it('reports a tenant it cannot see as not found', async () => {
    await expect(
      run({
        tenant: 'project-nowhere',
        environment: 'samakia-dev',
        changeType: 'capacity-change',
        quotas: { cpuCores: 1 },
      }).done,
    ).rejects.toThrow(/not in the catalog, or is not one of your tenants/);
  });
});
