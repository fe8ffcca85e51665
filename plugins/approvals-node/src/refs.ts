import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { createServiceRegistryRef } from '@internal/plugin-fabric-node';
import {
  APPROVALS_NOT_INSTALLED_MESSAGE,
  ApprovalsServiceRegistry,
} from './registry';
import { ApprovalsService } from './service';

/**
 * Where the approvals backend plugin registers its implementation. Only that plugin uses
 * it; everybody else depends on {@link approvalsServiceRef}.
 */
export const approvalsServiceRegistryRef =
  createServiceRegistryRef<ApprovalsService>({
    id: 'approvals.registry',
    name: 'approvals',
    notInstalledMessage: APPROVALS_NOT_INSTALLED_MESSAGE,
  });

/** Delegates every call to the implementation once the registry has it. */
export function createDelegatingApprovalsService(
  registry: Pick<ApprovalsServiceRegistry, 'get'>,
): ApprovalsService {
  return {
    proposals: {
      submit: async (...args) =>
        (await registry.get()).proposals.submit(...args),
      get: async (...args) => (await registry.get()).proposals.get(...args),
      list: async (...args) => (await registry.get()).proposals.list(...args),
    },
    rules: {
      forEnvironment: async (...args) =>
        (await registry.get()).rules.forEnvironment(...args),
      configuredEnvironments: async () =>
        (await registry.get()).rules.configuredEnvironments(),
      strictest: async (...args) =>
        (await registry.get()).rules.strictest(...args),
    },
    gate: {
      evaluate: async (...args) =>
        (await registry.get()).gate.evaluate(...args),
      evaluateChange: async (...args) =>
        (await registry.get()).gate.evaluateChange(...args),
    },
  };
}

/**
 * The approvals backend, in-process: submit and read proposals on behalf of a caller, read
 * the environment rules as the backend resolves them, ask the gate. Calls wait while the
 * backend starts and fail with ServiceUnavailableError when the approvals backend is not
 * installed.
 */
export const approvalsServiceRef = createServiceRef<ApprovalsService>({
  id: 'approvals',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { registry: approvalsServiceRegistryRef },
      factory: ({ registry }) => createDelegatingApprovalsService(registry),
    }),
});
