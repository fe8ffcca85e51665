/**
 * The evidence backend's service ref: other backend plugins (fabric-ops' health cards, the
 * scaffolder's guarded actions) list, read and upload evidence packets in-process through
 * {@link evidenceServiceRef}, with the same permission checks as its HTTP API.
 *
 * @packageDocumentation
 */
export * from './service';
export {
  createDelegatingEvidenceService,
  EVIDENCE_NOT_INSTALLED_MESSAGE,
  evidenceServiceRef,
  evidenceServiceRegistryRef,
} from './refs';
