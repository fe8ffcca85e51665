import { TenantEntity } from './schemas/tenant';
import { validTenant } from './testing/fixtures';
import { checkTenantChange, planTenantChange } from './tenantChange';

const tenant = () => validTenant() as TenantEntity;

describe('planTenantChange', () => {
  it('keeps blank quotas and lists only the quotas that change', () => {
    const plan = planTenantChange(tenant(), {
      environment: 'resource:default/samakia-prod',
      changeType: 'capacity-change',
      quotas: { memoryGiB: 48, cpuCores: 8 },
    });
    expect(plan).toEqual({
      ok: true,
      change: {
        quotas: {
          cpuCores: 8,
          memoryGiB: 48,
          storageGiB: 500,
          maxDatabases: 4,
          maxConnections: 200,
        },
      },
      rows: [{ field: 'quotas.memoryGiB', current: '32', requested: '48' }],
      title:
        'Capacity change for project-birds in samakia-prod: memoryGiB 32 → 48',
      environment: 'samakia-prod',
    });
  });

  it('refuses quotas that change nothing and an environment the tenant does not run in', () => {
    expect(
      planTenantChange(tenant(), {
        environment: 'samakia-prod',
        changeType: 'capacity-change',
        quotas: { memoryGiB: 32 },
      }),
    ).toEqual({
      ok: false,
      problems: [
        {
          path: 'quotas',
          message:
            'The requested quotas equal the current quotas of project-birds; change at least one quota',
        },
      ],
    });
    const plan = planTenantChange(tenant(), {
      environment: 'samakia-staging',
      changeType: 'capacity-change',
      quotas: { memoryGiB: 64 },
    });
    expect(plan.ok === false && plan.problems[0].path).toBe('environment');
  });

  it('replace keeps the bound service when none is given and records the previous binding', () => {
    const plan = planTenantChange(tenant(), {
      environment: 'samakia-prod',
      changeType: 'binding-change',
      binding: {
        action: 'replace',
        workload: 'api',
        consumer: 'postgres',
        endpoint: 'postgres-birds2.infra.samakia.net:5432',
      },
    });
    expect(plan.ok && plan.change).toEqual({
      action: 'replace',
      binding: {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-prod',
        endpoint: 'postgres-birds2.infra.samakia.net:5432',
        service: 'component:default/postgresql',
      },
      previous: {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-prod',
        endpoint: 'postgres-birds.infra.samakia.net:5432',
        service: 'component:default/postgresql',
      },
    });
    expect(plan.ok && plan.rows).toEqual([
      {
        field: 'binding api → postgres in samakia-prod',
        current:
          'postgres-birds.infra.samakia.net:5432 (component:default/postgresql)',
        requested:
          'postgres-birds2.infra.samakia.net:5432 (component:default/postgresql)',
      },
    ]);
  });

  it('points problems of the tenant after the change at the binding field at fault', () => {
    const plan = planTenantChange(tenant(), {
      environment: 'samakia-dev',
      changeType: 'binding-change',
      binding: {
        action: 'add',
        workload: 'search',
        consumer: 'qdrant',
        endpoint: 'qdrant-birds.infra.samakia.net:6334',
      },
    });
    expect(plan).toEqual({
      ok: false,
      problems: [
        {
          path: 'binding.consumer',
          message:
            "consumer 'qdrant' is disabled; enable it in spec.consumers or remove the binding",
        },
      ],
    });
  });

  it('refuses to remove a binding that does not exist, naming the ones that do', () => {
    const plan = planTenantChange(tenant(), {
      environment: 'samakia-dev',
      changeType: 'binding-change',
      binding: { action: 'remove', workload: 'api', consumer: 'postgres' },
    });
    expect(plan.ok === false && plan.problems).toEqual([
      {
        path: 'binding.action',
        message:
          "api → postgres in samakia-dev is not one of project-birds's bindings (in samakia-dev: notifier → rabbitmq in resource:default/samakia-dev); choose add, or name an existing workload and consumer",
      },
    ]);
  });
});

describe('checkTenantChange', () => {
  it('checks typed values with the domain schemas and names the field', () => {
    const plan = checkTenantChange(validTenant(), {
      environment: 'samakia-prod',
      changeType: 'capacity-change',
      quotas: { cpuCores: 8, maxDatabases: 2.5, storageGiB: -1 },
    });
    expect(plan.ok === false && plan.problems).toEqual([
      {
        path: 'quotas.storageGiB',
        message: '-1 is negative; a quota is a non-negative number of GiB',
      },
      {
        path: 'quotas.maxDatabases',
        message: expect.stringContaining('whole number'),
      },
    ]);
    const binding = checkTenantChange(validTenant(), {
      environment: 'samakia-prod',
      changeType: 'binding-change',
      binding: {
        action: 'add',
        workload: 'worker',
        consumer: 'rabbitmq',
        endpoint: 'no-port',
      },
    });
    expect(binding.ok === false && binding.problems[0]).toEqual({
      path: 'binding.endpoint',
      message: expect.stringContaining('"no-port" is not an endpoint'),
    });
  });

  it('reports an invalid current entity instead of planning against it', () => {
    const broken = validTenant() as any;
    broken.spec.quotas.cpuCores = 'many';
    const plan = checkTenantChange(broken, {
      environment: 'samakia-prod',
      changeType: 'capacity-change',
      quotas: { cpuCores: 9 },
    });
    expect(plan.ok === false && plan.problems[0].message).toMatch(
      /^The current entity of tenant:default\/project-birds is invalid \(spec\.quotas\.cpuCores: .*\); ask an operator to fix it$/,
    );
  });
});
