import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { birds } from '../__testUtils__/harness';
import { tenantChangeValidation } from './tenantChange';

const catalogApi = catalogApiMock({ entities: [birds()] });
const apiHolder = {
  get: (ref: { id: string }) =>
    ref.id === catalogApiRef.id ? catalogApi : undefined,
} as any;

async function validate(
  changeType: 'capacity-change' | 'binding-change',
  value: unknown,
  formData: Record<string, unknown>,
  uiOptions: Record<string, string> = {},
) {
  const validation = createFieldValidation();
  await tenantChangeValidation(changeType)(value, validation, {
    apiHolder,
    formData: formData as any,
    schema: {},
    uiSchema: { 'ui:options': uiOptions },
  });
  return validation.__errors;
}

const prod = {
  tenant: 'tenant:default/project-birds',
  environment: 'resource:default/samakia-prod',
  changeType: 'capacity-change',
};
const current = {
  cpuCores: 8,
  memoryGiB: 32,
  storageGiB: 500,
  maxDatabases: 4,
  maxConnections: 200,
};

describe('the validation hook of the tenant change fields', () => {
  it('blocks quotas that change nothing or break the domain schema, naming the quota', async () => {
    expect(await validate('capacity-change', current, prod)).toEqual([
      'The requested quotas equal the current quotas of project-birds; change at least one quota',
    ]);
    expect(
      await validate('capacity-change', { ...current, storageGiB: -1 }, prod),
    ).toEqual([
      'Storage (GiB): -1 is negative; a quota is a non-negative number of GiB',
    ]);
    expect(
      await validate('capacity-change', { ...current, memoryGiB: 48 }, prod),
    ).toEqual([]);
  });

  it('reads the tenant and environment from the fields the ui:options name', async () => {
    expect(
      await validate(
        'capacity-change',
        { memoryGiB: 48 },
        { project: 'project-birds', target: 'samakia-staging' },
        { tenantField: 'project', environmentField: 'target' },
      ),
    ).toEqual([]);
    expect(
      await validate(
        'capacity-change',
        { memoryGiB: 48 },
        { project: 'project-birds', target: 'local-parity' },
        { tenantField: 'project', environmentField: 'target' },
      ),
    ).toEqual([
      'project-birds does not run in local-parity (its environments: samakia-dev, samakia-staging, samakia-prod); pick one of them',
    ]);
  });

  it('blocks a binding change the domain refuses, naming the field', async () => {
    const dev = {
      ...prod,
      environment: 'samakia-dev',
      changeType: 'binding-change',
    };
    expect(
      await validate(
        'binding-change',
        {
          action: 'replace',
          workload: 'api',
          consumer: 'postgres',
          endpoint: 'postgres-birds-dev.infra.samakia.net',
        },
        dev,
      ),
    ).toEqual([
      'Endpoint: "postgres-birds-dev.infra.samakia.net" is not an endpoint; write host:port with a port from 1 to 65535, e.g. postgres-birds.infra.samakia.net:5432',
    ]);
    expect(
      await validate(
        'binding-change',
        { action: 'remove', workload: 'api', consumer: 'postgres' },
        dev,
      ),
    ).toEqual([]);
  });

  it('leaves a value of the other change type, and missing tenant or environment, to the rest of the form', async () => {
    expect(
      await validate('capacity-change', current, {
        ...prod,
        changeType: 'binding-change',
      }),
    ).toEqual([]);
    expect(
      await validate('capacity-change', current, { ...prod, tenant: '' }),
    ).toEqual([]);
    expect(
      await validate('capacity-change', current, {
        ...prod,
        tenant: 'tenant:default/project-orchard',
      }),
    ).toEqual([
      'tenant:default/project-orchard is not in the catalog, or is not one of your tenants; pick one of the tenants your group owns',
    ]);
  });
});
