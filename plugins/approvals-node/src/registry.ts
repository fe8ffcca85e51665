import { ServiceUnavailableError } from '@backstage/errors';
import { ApprovalsService } from './service';

/**
 * Hands the approvals backend's implementation to other plugins. A plugin's services are
 * scoped to that plugin in Backstage's backend, so the approvals plugin cannot provide a
 * service to the scaffolder or the catalog directly; instead it registers its
 * implementation here (a root service: one per backend) when it initialises, and
 * {@link approvalsServiceRef} waits for it.
 */
export interface ApprovalsServiceRegistry {
  /** Called once, by the approvals backend plugin during its init. */
  register(implementation: ApprovalsService): void;
  /**
   * The implementation; waits while the backend is starting. Rejects with
   * ServiceUnavailableError once the backend has started without one.
   */
  get(): Promise<ApprovalsService>;
}

export const APPROVALS_NOT_INSTALLED_MESSAGE =
  'The approvals backend is not running in this backend: add @internal/plugin-approvals-backend to packages/backend (or look for why it failed to start in the startup log)';

/** The registry behind {@link approvalsServiceRegistryRef}. */
export class DeferredApprovalsRegistry implements ApprovalsServiceRegistry {
  #implementation?: ApprovalsService;
  #started = false;
  #waiting: Array<{
    resolve: (impl: ApprovalsService) => void;
    reject: (error: Error) => void;
  }> = [];

  register(implementation: ApprovalsService): void {
    if (this.#implementation) {
      // Two approvals plugins in one backend would silently shadow each other.
      throw new Error(
        'An approvals service is already registered in this backend',
      );
    }
    this.#implementation = implementation;
    for (const waiter of this.#waiting.splice(0))
      waiter.resolve(implementation);
  }

  get(): Promise<ApprovalsService> {
    if (this.#implementation) return Promise.resolve(this.#implementation);
    if (this.#started) {
      return Promise.reject(
        new ServiceUnavailableError(APPROVALS_NOT_INSTALLED_MESSAGE),
      );
    }
    return new Promise((resolve, reject) =>
      this.#waiting.push({ resolve, reject }),
    );
  }

  /** Every plugin has initialised: nobody will register any more. */
  backendStarted(): void {
    this.#started = true;
    if (this.#implementation) return;
    for (const waiter of this.#waiting.splice(0)) {
      waiter.reject(
        new ServiceUnavailableError(APPROVALS_NOT_INSTALLED_MESSAGE),
      );
    }
  }
}
