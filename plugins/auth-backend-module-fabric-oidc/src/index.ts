/**
 * OpenID Connect sign-in for the Fabric Portal, with issuer discovery retried after a failure,
 * and the guard that keeps every provider's `redirectUrl` on the app's own origin.
 *
 * @packageDocumentation
 */

export { authModuleFabricOidc as default } from './module';
export { authModuleFabricRedirectGuard } from './redirectGuardModule';
export { createRedirectGuard, redirectUrlProblem } from './redirectGuard';
export { retryDiscoveryAfterFailure } from './retryingAuthenticator';
export type { DiscoveringContext } from './retryingAuthenticator';
