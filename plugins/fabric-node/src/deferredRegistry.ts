import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/**
 * Hands one backend plugin's implementation to the other plugins of the same backend.
 * Backstage scopes a plugin's services to that plugin, so the evidence plugin (say) cannot
 * provide a service to fabric-ops directly; it registers its implementation here (a root
 * service) while it initialises, and the -node service ref waits for it.
 */
export interface ServiceRegistry<T> {
  /** Called once, by the owning backend plugin during its init. */
  register(implementation: T): void;
  /**
   * The implementation; waits while the backend starts. Rejects with
   * ServiceUnavailableError once the backend has started without one.
   */
  get(): Promise<T>;
}

/** The registry behind {@link createServiceRegistryRef}. */
export class DeferredServiceRegistry<T> implements ServiceRegistry<T> {
  #implementation?: T;
  #started = false;
  #waiting: Array<{ resolve: (impl: T) => void; reject: (e: Error) => void }> =
    [];

  constructor(
    /** What the owner is called in errors, e.g. "evidence". */
    private readonly name: string,
    /** Why it is missing and how to fix it. */
    private readonly notInstalledMessage: string,
  ) {}

  register(implementation: T): void {
    if (this.#implementation) {
      // Two implementations in one backend would silently shadow each other.
      throw new Error(
        `A ${this.name} service is already registered in this backend`,
      );
    }
    this.#implementation = implementation;
    for (const waiter of this.#waiting.splice(0))
      waiter.resolve(implementation);
  }

  get(): Promise<T> {
    if (this.#implementation) return Promise.resolve(this.#implementation);
    if (this.#started) {
      return Promise.reject(
        new ServiceUnavailableError(this.notInstalledMessage),
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
      waiter.reject(new ServiceUnavailableError(this.notInstalledMessage));
    }
  }
}

/**
 * A root service ref holding a {@link DeferredServiceRegistry}: the owning plugin registers
 * into it, the plugin-scoped service ref of its -node package delegates to it.
 */
export function createServiceRegistryRef<T>(options: {
  id: string;
  name: string;
  notInstalledMessage: string;
}): ServiceRef<ServiceRegistry<T>, 'root', 'singleton'> {
  return createServiceRef<ServiceRegistry<T>>({
    id: options.id,
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { lifecycle: coreServices.rootLifecycle },
        factory({ lifecycle }) {
          const registry = new DeferredServiceRegistry<T>(
            options.name,
            options.notInstalledMessage,
          );
          // Root startup runs after every plugin's init: from then on a missing
          // implementation is an error, not something to wait for.
          lifecycle.addStartupHook(() => registry.backendStarted());
          return registry;
        },
      }),
  });
}
