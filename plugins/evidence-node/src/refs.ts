import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  createServiceRegistryRef,
  ServiceRegistry,
} from '@internal/plugin-fabric-node';
import { EvidenceService } from './service';

export const EVIDENCE_NOT_INSTALLED_MESSAGE =
  'The evidence backend is not running in this backend: add @internal/plugin-evidence-backend to packages/backend (or look for why it failed to start in the startup log)';

/**
 * Where the evidence backend plugin registers its implementation. Only that plugin uses
 * it; everybody else depends on {@link evidenceServiceRef}.
 */
export const evidenceServiceRegistryRef =
  createServiceRegistryRef<EvidenceService>({
    id: 'evidence.registry',
    name: 'evidence',
    notInstalledMessage: EVIDENCE_NOT_INSTALLED_MESSAGE,
  });

/** Delegates every call to the implementation once the registry has it. */
export function createDelegatingEvidenceService(
  registry: Pick<ServiceRegistry<EvidenceService>, 'get'>,
): EvidenceService {
  return {
    packets: {
      list: async (...args) => (await registry.get()).packets.list(...args),
      preview: async (...args) =>
        (await registry.get()).packets.preview(...args),
      upload: async (...args) => (await registry.get()).packets.upload(...args),
    },
    summary: async (...args) => (await registry.get()).summary(...args),
  };
}

/**
 * The evidence backend, in-process: list and read packets and upload new ones on behalf of
 * a caller. Calls wait while the backend starts and fail with ServiceUnavailableError when
 * the evidence backend is not installed.
 */
export const evidenceServiceRef = createServiceRef<EvidenceService>({
  id: 'evidence',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { registry: evidenceServiceRegistryRef },
      factory: ({ registry }) => createDelegatingEvidenceService(registry),
    }),
});
