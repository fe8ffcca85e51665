import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  createServiceRegistryRef,
  ServiceRegistry,
} from '@internal/plugin-fabric-node';
import { DriftService } from './service';

export const DRIFT_NOT_INSTALLED_MESSAGE =
  'The drift backend is not running in this backend: add @internal/plugin-drift-backend to packages/backend (or look for why it failed to start in the startup log)';

/**
 * Where the drift backend plugin registers its implementation. Only that plugin uses it;
 * everybody else depends on {@link driftServiceRef}.
 */
export const driftServiceRegistryRef = createServiceRegistryRef<DriftService>({
  id: 'drift.registry',
  name: 'drift',
  notInstalledMessage: DRIFT_NOT_INSTALLED_MESSAGE,
});

/** Delegates every call to the implementation once the registry has it. */
export function createDelegatingDriftService(
  registry: Pick<ServiceRegistry<DriftService>, 'get'>,
): DriftService {
  return {
    current: async (...args) => (await registry.get()).current(...args),
    history: async (...args) => (await registry.get()).history(...args),
    targetVerdict: async (...args) =>
      (await registry.get()).targetVerdict(...args),
  };
}

/**
 * The drift backend, in-process: the current drift of an entity, tenant or environment on
 * behalf of a caller. Calls wait while the backend starts and fail with
 * ServiceUnavailableError when the drift backend is not installed.
 */
export const driftServiceRef = createServiceRef<DriftService>({
  id: 'drift',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { registry: driftServiceRegistryRef },
      factory: ({ registry }) => createDelegatingDriftService(registry),
    }),
});
