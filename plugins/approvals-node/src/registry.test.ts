import { DeferredApprovalsRegistry } from './registry';
import { createDelegatingApprovalsService } from './refs';
import { ApprovalsService } from './service';

const implementation = {
  proposals: {
    get: jest.fn(async () => 'view'),
    submit: jest.fn(),
    list: jest.fn(),
  },
  rules: {
    forEnvironment: jest.fn(),
    configuredEnvironments: jest.fn(),
    strictest: jest.fn(async () => 'samakia-prod'),
  },
  gate: { evaluate: jest.fn(), evaluateChange: jest.fn() },
} as unknown as ApprovalsService;

describe('DeferredApprovalsRegistry', () => {
  it('lets calls made while the backend starts wait for the implementation', async () => {
    const registry = new DeferredApprovalsRegistry();
    const service = createDelegatingApprovalsService(registry);
    const early = service.rules.strictest(['samakia-dev', 'samakia-prod']);
    registry.register(implementation);
    registry.backendStarted();
    await expect(early).resolves.toBe('samakia-prod');
    expect(implementation.rules.strictest).toHaveBeenCalledWith([
      'samakia-dev',
      'samakia-prod',
    ]);
  });

  it('fails waiting and later calls clearly once the backend started without approvals', async () => {
    const registry = new DeferredApprovalsRegistry();
    const early = registry.get();
    registry.backendStarted();
    await expect(early).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('@internal/plugin-approvals-backend'),
    });
    await expect(registry.get()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });

  it('refuses a second implementation instead of shadowing the first', () => {
    const registry = new DeferredApprovalsRegistry();
    registry.register(implementation);
    expect(() => registry.register(implementation)).toThrow(
      'already registered',
    );
  });
});
