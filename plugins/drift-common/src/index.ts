/**
 * Drift signals of the Fabric Portal: run and finding schemas, verdicts, the
 * drift taxonomy, permissions and the summary written for tenants.
 *
 * @packageDocumentation
 */

export * from './taxonomy';
export * from './schemas';
export * from './types';
export * from './permissions';
export * from './summary';
