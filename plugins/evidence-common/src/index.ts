/**
 * Evidence packet model of the Fabric Portal: the packet layout, verdicts and
 * their reasons, zod schemas of the API and of packet files, and permissions.
 *
 * @packageDocumentation
 */

export * from './layout';
export * from './verdicts';
export * from './schemas';
export * from './types';
export * from './permissions';
