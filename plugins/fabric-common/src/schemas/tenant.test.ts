import { parseTenantEntity } from '../parse';
import { problemsOf, validTenant, withField } from '../testing/fixtures';

describe('Tenant schema', () => {
  it('accepts a valid tenant', () => {
    expect(parseTenantEntity(validTenant())).toEqual({
      success: true,
      data: validTenant(),
    });
  });

  it('accepts a tenant without bindings, allowlist or DR test cases', () => {
    let tenant = withField(validTenant(), 'spec.bindings', undefined);
    tenant = withField(tenant, 'spec.executeAllowlist', undefined);
    tenant = withField(tenant, 'spec.drTestCases', undefined);
    expect(parseTenantEntity(tenant).success).toBe(true);
  });

  it('rejects two consumers of the same provider', () => {
    const tenant = validTenant() as any;
    tenant.spec.consumers.push({
      provider: 'postgres',
      variant: 'single',
      enabled: true,
    });
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.consumers[3]',
        message:
          "provider 'postgres' appears twice; a tenant has one consumer per provider, merge them",
      },
    ]);
  });

  it('rejects unknown providers and variants', () => {
    const tenant = withField(validTenant(), 'spec.consumers', [
      { provider: 'mongodb', variant: 'replica', enabled: true },
    ]);
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.consumers[0].provider',
        message:
          '"mongodb" is not allowed; use one of: postgres, mariadb, rabbitmq, dragonfly, qdrant',
      },
      {
        path: 'spec.consumers[0].variant',
        message: '"replica" is not allowed; use one of: single, cluster',
      },
    ]);
  });

  it('rejects a binding to a consumer the tenant does not have', () => {
    const tenant = withField(
      validTenant(),
      'spec.bindings.0.consumer',
      'mariadb',
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.bindings[0].consumer',
        message:
          "'mariadb' is not one of this tenant's consumers (postgres, rabbitmq, qdrant); add a consumer with that provider or fix the name",
      },
    ]);
  });

  it('rejects a binding to a disabled consumer', () => {
    const tenant = withField(
      validTenant(),
      'spec.bindings.0.consumer',
      'qdrant',
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.bindings[0].consumer',
        message:
          "consumer 'qdrant' is disabled; enable it in spec.consumers or remove the binding",
      },
    ]);
  });

  it('rejects an execute allowlist entry that names no consumer, another variant or a foreign environment', () => {
    const tenant = withField(validTenant(), 'spec.executeAllowlist', [
      { environment: 'samakia-dev', provider: 'postgres', variant: 'cluster' },
      { environment: 'samakia-dev', provider: 'dragonfly', variant: 'single' },
      {
        environment: 'resource:default/samakia-dev',
        provider: 'postgres',
        variant: 'cluster',
      },
      { environment: 'samakia-prod', provider: 'rabbitmq', variant: 'cluster' },
      {
        environment: 'samakia-staging',
        provider: 'postgres',
        variant: 'cluster',
      },
    ]);
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.executeAllowlist[1].provider',
        message:
          "'dragonfly' is not one of this tenant's consumers (postgres, rabbitmq, qdrant); list only providers the tenant consumes",
      },
      {
        path: 'spec.executeAllowlist[3].variant',
        message:
          "the tenant's rabbitmq consumer is single, not cluster; allow the variant it runs",
      },
      {
        path: 'spec.executeAllowlist[4].environment',
        message:
          "samakia-staging is not one of the tenant's environments (samakia-dev, samakia-prod); allow execute only where the tenant runs",
      },
    ]);
  });

  it('refuses a bare provider as an allowlist entry: it names environment and variant too', () => {
    const tenant = withField(validTenant(), 'spec.executeAllowlist', [
      'postgres',
    ]);
    expect(parseTenantEntity(tenant).success).toBe(false);
  });

  it.each([
    [
      'cpuCores',
      -1,
      '-1 is negative; a quota is a non-negative number of CPU cores',
    ],
    [
      'memoryGiB',
      -0.5,
      '-0.5 is negative; a quota is a non-negative number of GiB',
    ],
    [
      'maxConnections',
      -10,
      '-10 is negative; a quota is a non-negative whole number of connections',
    ],
    ['maxDatabases', '4', 'expected a number, got "4"; change it to a number'],
    [
      'maxDatabases',
      1.5,
      'expected a whole number, got 1.5; change it to a whole number',
    ],
  ])('rejects quota %s = %p', (field, value, message) => {
    const tenant = withField(validTenant(), `spec.quotas.${field}`, value);
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      { path: `spec.quotas.${field}`, message },
    ]);
  });

  it('accepts zero quotas and fractional cores', () => {
    let tenant = withField(validTenant(), 'spec.quotas.cpuCores', 0.5);
    tenant = withField(tenant, 'spec.quotas.maxDatabases', 0);
    expect(parseTenantEntity(tenant).success).toBe(true);
  });

  it('requires every quota', () => {
    const tenant = withField(
      validTenant(),
      'spec.quotas.storageGiB',
      undefined,
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.quotas.storageGiB',
        message: 'is missing; add it (expected a number)',
      },
    ]);
  });

  it('rejects a binding in an environment the tenant does not run in', () => {
    const tenant = withField(
      validTenant(),
      'spec.bindings.0.environment',
      'samakia-staging',
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.bindings[0].environment',
        message:
          "samakia-staging is not one of the tenant's environments (samakia-dev, samakia-prod); add it to spec.environments or bind to one of them",
      },
    ]);
  });

  it('rejects duplicate environments and bindings', () => {
    let tenant = withField(validTenant(), 'spec.environments', [
      'samakia-dev',
      'resource:default/samakia-dev',
      'samakia-prod',
    ]);
    const bindings = (tenant.spec as any).bindings;
    tenant = withField(tenant, 'spec.bindings', [...bindings, bindings[0]]);
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.environments[1]',
        message:
          'resource:default/samakia-dev is listed twice; list each environment once',
      },
      {
        path: 'spec.bindings[2]',
        message:
          'binding api -> postgres in resource:default/samakia-prod is declared twice; keep one',
      },
    ]);
  });

  it('rejects a malformed endpoint', () => {
    const tenant = withField(
      validTenant(),
      'spec.bindings.0.endpoint',
      'postgres-birds.infra.samakia.net',
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.bindings[0].endpoint',
        message:
          '"postgres-birds.infra.samakia.net" is not an endpoint; write host:port with a port from 1 to 65535, e.g. postgres-birds.infra.samakia.net:5432',
      },
    ]);
  });

  it('checks consumer service and plane references', () => {
    let tenant = withField(
      validTenant(),
      'spec.consumers.0.service',
      'plane:dns',
    );
    tenant = withField(
      tenant,
      'spec.consumers.0.plane',
      'component:postgresql',
    );
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      {
        path: 'spec.consumers[0].service',
        message:
          '"plane:dns" points at a plane; it must name a Component, e.g. component:default/postgresql',
      },
      {
        path: 'spec.consumers[0].plane',
        message:
          '"component:postgresql" points at a component; it must name a Plane, e.g. dns or plane:default/dns',
      },
    ]);
  });

  it('requires at least one environment', () => {
    const tenant = withField(validTenant(), 'spec.environments', []);
    expect(problemsOf(parseTenantEntity(tenant))).toEqual([
      { path: 'spec.environments', message: 'needs at least 1 entry; add one' },
    ]);
  });
});
