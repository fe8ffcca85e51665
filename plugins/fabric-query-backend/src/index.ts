/**
 * Domain queries of the Fabric Portal, answered from a read model of the catalog.
 *
 * @packageDocumentation
 */
export { fabricQueryPlugin as default } from './plugin';
