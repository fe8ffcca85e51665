/**
 * The approvals backend's service ref: other backend plugins (the scaffolder's fabric
 * actions, the catalog's proposal provider) call approvals in-process through
 * {@link approvalsServiceRef}, with the same permission checks as its HTTP API.
 *
 * @packageDocumentation
 */
export * from './service';
export {
  approvalsServiceRef,
  approvalsServiceRegistryRef,
  createDelegatingApprovalsService,
} from './refs';
export {
  APPROVALS_NOT_INSTALLED_MESSAGE,
  DeferredApprovalsRegistry,
  type ApprovalsServiceRegistry,
} from './registry';
