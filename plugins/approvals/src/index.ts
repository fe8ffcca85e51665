/**
 * Fabric Portal approvals frontend: the Approvals page (review queue, proposal view, signing
 * key) and the Proposals tab of tenant pages.
 *
 * @packageDocumentation
 */
export { approvalsPlugin as default } from './plugin';
export { approvalsApiRef } from './api/ApprovalsApi';
export type { ApprovalsApi, ProposalListFilter } from './api/ApprovalsApi';
export { ApprovalsClient } from './api/ApprovalsClient';
