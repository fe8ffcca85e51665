import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Evidence packets are tenant-scoped resources: the permission policy answers
 * tenant members with a condition on the packet's tenant. A packet that
 * belongs to no tenant (milestones, images, ...) matches no tenant condition.
 */
export const EVIDENCE_PACKET_RESOURCE_TYPE = 'evidence-packet';

/** List packets, read their verdicts, summaries and files (tenant-scoped). */
export const evidencePacketReadPermission = createPermission({
  name: 'evidence.packet.read',
  attributes: { action: 'read' },
  resourceType: EVIDENCE_PACKET_RESOURCE_TYPE,
});

/** Upload a packet (CI). Basic: the packet's tenant is only known once it is unpacked. */
export const evidencePacketCreatePermission = createPermission({
  name: 'evidence.packet.create',
  attributes: { action: 'create' },
});

/** Rescan the configured filesystem roots now (operators). */
export const evidencePacketRescanPermission = createPermission({
  name: 'evidence.packet.rescan',
  attributes: { action: 'update' },
});

export const evidencePermissions = [
  evidencePacketReadPermission,
  evidencePacketCreatePermission,
  evidencePacketRescanPermission,
];
