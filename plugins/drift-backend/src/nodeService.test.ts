import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { driftReportReadPermission } from '@internal/plugin-drift-common';
import { createDriftNodeService } from './nodeService';

describe('drift node service history', () => {
  const scope = { all: false, tenants: ['tenant:default/project-birds'] };
  const drift = {
    history: jest.fn(async () => ({ audience: 'tenant', items: [] })),
  };
  const access = { scope: jest.fn(async () => scope) };
  const service = createDriftNodeService({
    drift: drift as any,
    access: access as any,
  });
  const credentials = mockCredentials.user('user:default/bea.birds');

  it("reads history within the caller's tenants, with the query parsed like GET /history", async () => {
    await service.history(
      {
        tenant: 'project-birds',
        environment: 'resource:default/samakia-prod',
        limit: 20,
      },
      { credentials },
    );
    expect(access.scope).toHaveBeenCalledWith(
      credentials,
      driftReportReadPermission,
    );
    expect(drift.history).toHaveBeenCalledWith(
      expect.objectContaining({
        tenant: 'tenant:default/project-birds',
        environment: 'samakia-prod',
        limit: 20,
      }),
      scope,
    );
  });

  it('refuses a query the schema refuses, naming the field', async () => {
    await expect(
      service.history({ limit: 0 } as any, { credentials }),
    ).rejects.toThrow(InputError);
    await expect(
      service.history({ limit: 0 } as any, { credentials }),
    ).rejects.toThrow(/limit/);
  });
});
