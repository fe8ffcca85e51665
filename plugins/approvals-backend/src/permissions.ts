import { APPROVALS_PROPOSAL_RESOURCE_TYPE } from '@internal/plugin-approvals-common';
import { createTenantPermissionRule } from '@internal/plugin-fabric-node';

/** Proposals are tenant-scoped: a submission not stored yet is checked the same way. */
export const proposalPermissionRules = createTenantPermissionRule({
  pluginId: 'approvals',
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
  resources: 'proposals',
});
