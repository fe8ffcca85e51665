import {
  APPROVALS_PROPOSAL_RESOURCE_TYPE,
  Proposal,
} from '@internal/plugin-approvals-common';
import {
  TENANT_RULE_NAME,
  tenantRuleParamsSchema,
} from '@internal/plugin-fabric-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';

/** Anything with a tenant: a stored proposal or a submission not stored yet. */
export type TenantScoped = Pick<Proposal, 'tenant'>;

/**
 * Conditions on proposals become a set of allowed tenants (the query type):
 * the store filters lists with it, and single proposals are checked with `apply`.
 */
export const proposalResourceRef = createPermissionResourceRef<
  TenantScoped,
  string[]
>().with({
  pluginId: 'approvals',
  resourceType: APPROVALS_PROPOSAL_RESOURCE_TYPE,
});

/** The proposal belongs to one of the given tenants (refs in canonical form). */
export const isTenantRule = createPermissionRule({
  name: TENANT_RULE_NAME,
  description: 'Allow proposals whose tenant is one of the given tenants',
  resourceRef: proposalResourceRef,
  paramsSchema: tenantRuleParamsSchema,
  apply: (resource, { tenantRefs }) =>
    tenantRefs
      .map(t => t.toLocaleLowerCase('en-US'))
      .includes(resource.tenant.toLocaleLowerCase('en-US')),
  toQuery: ({ tenantRefs }) =>
    tenantRefs.map(t => t.toLocaleLowerCase('en-US')),
});

export const proposalPermissionRules = [isTenantRule];
