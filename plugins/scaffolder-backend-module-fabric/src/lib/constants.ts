/**
 * The proposal that asked for an entity. The catalog module's proposal
 * provider sets the same annotation on the entities it activates.
 * (A candidate for fabric-common's constants.)
 */
export const FABRIC_ANNOTATION_PROPOSAL_ID = 'fabric.samakia.io/proposal-id';

/** The id a dry run reports instead of submitting anything. */
export const DRY_RUN_PROPOSAL_ID = 'dry-run';
