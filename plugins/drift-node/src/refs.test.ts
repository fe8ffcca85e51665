import { DeferredServiceRegistry } from '@internal/plugin-fabric-node';
import {
  createDelegatingDriftService,
  DRIFT_NOT_INSTALLED_MESSAGE,
} from './refs';
import { DriftService } from './service';

const credentials = { $$type: '@backstage/BackstageCredentials' } as any;

describe('createDelegatingDriftService', () => {
  it('passes the query and the caller to the registered implementation', async () => {
    const current = jest.fn(async () => ({ verdict: 'PASS' } as any));
    const registry = new DeferredServiceRegistry<DriftService>(
      'drift',
      DRIFT_NOT_INSTALLED_MESSAGE,
    );
    const early = createDelegatingDriftService(registry).current(
      { entity: 'resource:default/minio-plane' },
      { credentials },
    );
    const targetVerdict = jest.fn(async () => ({
      verdict: 'FAIL' as const,
      summary: '1 current run(s), 1 FAIL finding(s)',
    }));
    const history = jest.fn(async () => ({ items: [] } as any));
    registry.register({ current, history, targetVerdict });
    await expect(early).resolves.toEqual({ verdict: 'PASS' });
    expect(current).toHaveBeenCalledWith(
      { entity: 'resource:default/minio-plane' },
      { credentials },
    );
    const target = { tenant: 'tenant:default/birds', environment: 'prod' };
    await expect(
      createDelegatingDriftService(registry).targetVerdict(target),
    ).resolves.toMatchObject({ verdict: 'FAIL' });
    expect(targetVerdict).toHaveBeenCalledWith(target);
    await expect(
      createDelegatingDriftService(registry).history(
        { tenant: 'project-birds', limit: 5 },
        { credentials },
      ),
    ).resolves.toEqual({ items: [] });
    expect(history).toHaveBeenCalledWith(
      { tenant: 'project-birds', limit: 5 },
      { credentials },
    );
  });

  it('fails with the fix when the drift backend is not installed', async () => {
    const registry = new DeferredServiceRegistry<DriftService>(
      'drift',
      DRIFT_NOT_INSTALLED_MESSAGE,
    );
    registry.backendStarted();
    await expect(
      createDelegatingDriftService(registry).current({}, { credentials }),
    ).rejects.toThrow('@internal/plugin-drift-backend');
  });
});
