/**
 * Development-only OpenID Connect identity provider for the local default profile.
 *
 * @packageDocumentation
 */

export { devIdpPlugin as default } from './plugin';
export { createRouter } from './router';
export type { RouterOptions } from './router';
export { createDevIdp } from './service/createDevIdp';
export type { DevIdp, DevIdpOptions } from './service/createDevIdp';
export { readDevIdpConfig } from './config';
export type { DevIdpConfig, DevIdpUser } from './config';
export { LoginThrottle } from './service/LoginThrottle';
export type {
  LoginThrottleOptions,
  ThrottleVerdict,
} from './service/LoginThrottle';
