/**
 * OpenID Connect sign-in for the Fabric Portal, with issuer discovery retried after a failure.
 *
 * @packageDocumentation
 */

export { authModuleFabricOidc as default } from './module';
export { retryDiscoveryAfterFailure } from './retryingAuthenticator';
export type { DiscoveringContext } from './retryingAuthenticator';
