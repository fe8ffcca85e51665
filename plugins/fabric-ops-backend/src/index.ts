/**
 * Operations views of the Fabric Portal: what breaks when a failure domain
 * goes down, computed from the catalog on behalf of the caller. Read-only.
 *
 * @packageDocumentation
 */

export { fabricOpsPlugin as default } from './plugin';
