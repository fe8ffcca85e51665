import {
  evidencePacketCreatePermission,
  evidencePacketReadPermission,
  filePathQuerySchema,
  packetListQuerySchema,
  uploadQuerySchema,
} from '@internal/plugin-evidence-common';
import type { EvidenceService as EvidenceNodeService } from '@internal/plugin-evidence-node';
import { parseInput, TenantScopedAccess } from '@internal/plugin-fabric-node';
import { z } from 'zod';
import { EvidenceService } from './service/EvidenceService';

const idSchema = z.uuid({ message: 'must be a packet id (a UUID)' });

/**
 * The in-process face of the evidence backend (`evidenceServiceRef`): the same parsing and
 * permission checks as the HTTP routes, applied to the caller's credentials. Uses only the
 * public methods of EvidenceService.
 */
export function createEvidenceNodeService(deps: {
  evidence: EvidenceService;
  access: TenantScopedAccess;
}): EvidenceNodeService {
  const { evidence, access } = deps;
  return {
    packets: {
      async list(query, { credentials }) {
        const parsed = parseInput(packetListQuerySchema, query, 'The query');
        const scope = await access.scope(
          credentials,
          evidencePacketReadPermission,
        );
        const { entity: _entity, ...rest } = parsed;
        return evidence.list({
          ...rest,
          tenants: scope.all ? undefined : scope.tenants,
        });
      },
      async preview(packetId, path, { credentials }) {
        const packet = await access.findFor(
          credentials,
          evidencePacketReadPermission,
          parseInput(idSchema, packetId, 'The packet id'),
          id => evidence.packets.get(id),
        );
        const file = parseInput(filePathQuerySchema, { path }, 'The query');
        return evidence.preview(packet, file.path);
      },
      async upload(archive, query, { credentials }) {
        await access.assertAllowed(credentials, evidencePacketCreatePermission);
        return evidence.upload(
          archive,
          parseInput(uploadQuerySchema, query, 'The upload query'),
        );
      },
    },
    async summary(packetId) {
      if (!idSchema.safeParse(packetId).success) return undefined;
      const packet = await evidence.packets.get(packetId);
      return (
        packet && {
          id: packet.id,
          tenant: packet.tenant,
          entityRefs: packet.entityRefs,
          verdict: packet.verdict,
          timestamp: packet.timestamp,
          area: packet.area,
          title: packet.title,
          kind: packet.kind,
        }
      );
    },
  };
}
