// The proposal that asked for an entity; the catalog module's proposal provider sets the same
// annotation on the entities it activates.
export { FABRIC_ANNOTATION_PROPOSAL_ID } from '@internal/plugin-fabric-common';

/** The id a dry run reports instead of submitting anything. */
export const DRY_RUN_PROPOSAL_ID = 'dry-run';
