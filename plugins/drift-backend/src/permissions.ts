import { DRIFT_REPORT_RESOURCE_TYPE } from '@internal/plugin-drift-common';
import { createTenantPermissionRule } from '@internal/plugin-fabric-node';

/** Drift reports are tenant-scoped; platform runs have no tenant and never match the rule. */
export const driftReportPermissionRules = createTenantPermissionRule({
  pluginId: 'drift',
  resourceType: DRIFT_REPORT_RESOURCE_TYPE,
  resources: 'drift reports',
});
