import { EVIDENCE_PACKET_RESOURCE_TYPE } from '@internal/plugin-evidence-common';
import { createTenantPermissionRule } from '@internal/plugin-fabric-node';

/** Packets are tenant-scoped; a packet of no tenant never matches the rule. */
export const packetPermissionRules = createTenantPermissionRule({
  pluginId: 'evidence',
  resourceType: EVIDENCE_PACKET_RESOURCE_TYPE,
  resources: 'evidence packets',
});
