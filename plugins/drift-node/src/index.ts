/**
 * The drift backend's service ref: other backend plugins (fabric-ops' health cards) read
 * the current drift in-process through {@link driftServiceRef}, with the same permission
 * checks as its HTTP API.
 *
 * @packageDocumentation
 */
export * from './service';
export {
  createDelegatingDriftService,
  DRIFT_NOT_INSTALLED_MESSAGE,
  driftServiceRef,
  driftServiceRegistryRef,
} from './refs';
