/**
 * Fabric Portal evidence frontend: the Evidence page and the Evidence tab of entities.
 *
 * @packageDocumentation
 */
export { evidencePlugin as default } from './plugin';
export { evidenceApiRef } from './api/EvidenceApi';
export type { EvidenceApi, PacketListFilter } from './api/EvidenceApi';
export { EvidenceClient } from './api/EvidenceClient';
