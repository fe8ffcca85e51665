/**
 * Catalog backend module for the Fabric entity model: validates Plane,
 * Tenant, ZakonRule and fabric Components, blocks unapproved ZAKON rules and
 * emits the Fabric relations.
 *
 * @packageDocumentation
 */

export { catalogModuleFabric as default } from './module';
export { FabricEntitiesProcessor } from './processor/FabricEntitiesProcessor';
export {
  FabricProposalEntityProvider,
  FABRIC_ANNOTATION_PROPOSAL_ID,
} from './providers/FabricProposalEntityProvider';
