import type { OAuthAuthenticator } from '@backstage/plugin-auth-node';

/** What an authenticator's context must have for discovery to be retried. */
export interface DiscoveringContext {
  /** Settles when the issuer's metadata has been read (upstream's `ctx.promise`). */
  promise: Promise<unknown>;
}

/**
 * Wraps an OAuth authenticator whose `initialize` starts issuer discovery and keeps the outcome
 * in `ctx.promise`. When that promise rejects, the next use of the context initializes again
 * instead of answering every later request with the same old failure.
 */
export function retryDiscoveryAfterFailure<
  TContext extends DiscoveringContext,
  TProfile,
>(
  authenticator: OAuthAuthenticator<TContext, TProfile>,
  onFailure: (error: unknown, attempt: number) => void,
): OAuthAuthenticator<TContext, TProfile> {
  return {
    ...authenticator,
    initialize(options) {
      let attempt = 0;
      let current: TContext;
      let failed = false;
      const start = () => {
        attempt += 1;
        failed = false;
        current = authenticator.initialize(options);
        const thisAttempt = attempt;
        // Also keeps a discovery nobody awaited yet from being an unhandled rejection.
        current.promise.catch(error => {
          failed = true;
          onFailure(error, thisAttempt);
        });
      };
      start();
      // The context handed to start/authenticate/refresh. Only the discovery can fail; the other
      // fields come from config and are the same in every attempt.
      return {
        ...current!,
        get promise() {
          if (failed) start();
          return current.promise;
        },
      };
    },
  };
}
