/**
 * Approvals model of the Fabric Portal: proposal schemas and types, the
 * lifecycle states and their transitions, and the permissions.
 *
 * @packageDocumentation
 */

export * from './states';
export * from './schemas';
export * from './types';
export * from './permissions';
export * from './rules';
export { canonicalJson } from './canonical';
