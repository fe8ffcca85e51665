import {
  DeferredServiceRegistry,
  ServiceRegistry,
} from '@internal/plugin-fabric-node';
import { ApprovalsService } from './service';

/**
 * Where the approvals backend registers its implementation for the other plugins of the
 * same backend (the scaffolder, the catalog module, fabric-ops): fabric-node's deferred
 * registry, typed for approvals.
 */
export type ApprovalsServiceRegistry = ServiceRegistry<ApprovalsService>;

export const APPROVALS_NOT_INSTALLED_MESSAGE =
  'The approvals backend is not running in this backend: add @internal/plugin-approvals-backend to packages/backend (or look for why it failed to start in the startup log)';

/** The registry behind {@link approvalsServiceRegistryRef}. */
export class DeferredApprovalsRegistry extends DeferredServiceRegistry<ApprovalsService> {
  constructor() {
    super('approvals', APPROVALS_NOT_INSTALLED_MESSAGE);
  }
}
