import {
  TENANT_RULE_NAME,
  tenantRuleParamsSchema,
} from '@internal/plugin-fabric-common';
import { EVIDENCE_PACKET_RESOURCE_TYPE } from '@internal/plugin-evidence-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';

/** A packet as the permission framework sees it: its tenant, if any. */
export type TenantScoped = { tenant?: string };

/**
 * Conditions on packets become a set of allowed tenants (the query type): the
 * store filters lists with it, and single packets are checked with `apply`.
 */
export const packetResourceRef = createPermissionResourceRef<
  TenantScoped,
  string[]
>().with({
  pluginId: 'evidence',
  resourceType: EVIDENCE_PACKET_RESOURCE_TYPE,
});

/** The packet belongs to one of the given tenants; a packet of no tenant never does. */
export const isTenantRule = createPermissionRule({
  name: TENANT_RULE_NAME,
  description:
    'Allow evidence packets whose tenant is one of the given tenants',
  resourceRef: packetResourceRef,
  paramsSchema: tenantRuleParamsSchema,
  apply: (resource, { tenantRefs }) =>
    Boolean(resource.tenant) &&
    tenantRefs
      .map(t => t.toLocaleLowerCase('en-US'))
      .includes(resource.tenant!.toLocaleLowerCase('en-US')),
  toQuery: ({ tenantRefs }) =>
    tenantRefs.map(t => t.toLocaleLowerCase('en-US')),
});

export const packetPermissionRules = [isTenantRule];
