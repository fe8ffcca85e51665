import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Drift reports are tenant-scoped: the permission policy answers tenant
 * members with a condition on the report's tenant (rule IS_TENANT). Reports
 * without a tenant (planes, services) match no tenant, so only operators,
 * admins and CI read them.
 */
export const DRIFT_REPORT_RESOURCE_TYPE = 'drift-report';

/** Post a drift run (CI; operators). A basic permission: it is checked before any run exists. */
export const driftReportCreatePermission = createPermission({
  name: 'drift.report.create',
  attributes: { action: 'create' },
});

/** Read runs, findings, history and the overview. */
export const driftReportReadPermission = createPermission({
  name: 'drift.report.read',
  attributes: { action: 'read' },
  resourceType: DRIFT_REPORT_RESOURCE_TYPE,
});

export const driftPermissions = [
  driftReportCreatePermission,
  driftReportReadPermission,
];
