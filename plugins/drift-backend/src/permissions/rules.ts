import { DRIFT_REPORT_RESOURCE_TYPE } from '@internal/plugin-drift-common';
import {
  TENANT_RULE_NAME,
  tenantRuleParamsSchema,
} from '@internal/plugin-fabric-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';

/** A drift report as the permission rules see it: platform runs have no tenant. */
export type DriftReportResource = { tenant?: string };

/**
 * Conditions on drift reports become a set of allowed tenants (the query
 * type): the stores filter with it, single runs are checked with `apply`.
 */
export const driftReportResourceRef = createPermissionResourceRef<
  DriftReportResource,
  string[]
>().with({
  pluginId: 'drift',
  resourceType: DRIFT_REPORT_RESOURCE_TYPE,
});

/** The report belongs to one of the given tenants; a report without a tenant never matches. */
export const isTenantRule = createPermissionRule({
  name: TENANT_RULE_NAME,
  description: 'Allow drift reports whose tenant is one of the given tenants',
  resourceRef: driftReportResourceRef,
  paramsSchema: tenantRuleParamsSchema,
  apply: (resource, { tenantRefs }) =>
    resource.tenant !== undefined &&
    tenantRefs
      .map(t => t.toLocaleLowerCase('en-US'))
      .includes(resource.tenant.toLocaleLowerCase('en-US')),
  toQuery: ({ tenantRefs }) =>
    tenantRefs.map(t => t.toLocaleLowerCase('en-US')),
});

export const driftPermissionRules = [isTenantRule];
