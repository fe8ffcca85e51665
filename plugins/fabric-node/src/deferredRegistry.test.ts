import { DeferredServiceRegistry } from './deferredRegistry';

describe('DeferredServiceRegistry', () => {
  it('lets calls made while the backend starts wait for the implementation', async () => {
    const registry = new DeferredServiceRegistry<{ n: number }>('x', 'add x');
    const early = registry.get();
    registry.register({ n: 1 });
    registry.backendStarted();
    await expect(early).resolves.toEqual({ n: 1 });
  });

  it('fails waiting and later calls with the fix once the backend started without it', async () => {
    const registry = new DeferredServiceRegistry<object>(
      'evidence',
      'add @internal/plugin-evidence-backend',
    );
    const early = registry.get();
    registry.backendStarted();
    await expect(early).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'add @internal/plugin-evidence-backend',
    });
    await expect(registry.get()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });

  it('refuses a second implementation instead of shadowing the first', () => {
    const registry = new DeferredServiceRegistry<object>('drift', 'add drift');
    registry.register({});
    expect(() => registry.register({})).toThrow(
      'A drift service is already registered',
    );
  });
});
