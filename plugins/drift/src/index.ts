/**
 * Fabric Portal drift frontend: the Drift overview page (tenants x providers heat map) and the
 * Drift tab of tenants, services and planes.
 *
 * @packageDocumentation
 */
export { driftPlugin as default } from './plugin';
export { driftApiRef } from './api/DriftApi';
export type { DriftApi, DriftFilter } from './api/DriftApi';
export { DriftClient } from './api/DriftClient';
