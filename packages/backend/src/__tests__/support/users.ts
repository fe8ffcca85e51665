/**
 * Catalog users the backend tests act as (catalog/org.yaml). `operator` and `approver` are two
 * different members of platform-operators (the two-person rule needs both), `tenantA` is a member
 * of team-birds (tenant project-birds), `tenantB` of team-orchard (project-orchard).
 */
export const USERS = {
  operator: 'olivia.operator',
  approver: 'oscar.operator',
  tenantA: 'bea.birds',
  tenantB: 'otto.orchard',
} as const;
