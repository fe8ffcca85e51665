import type { DriftService } from '@internal/plugin-drift-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { DriftReader, PacketResolver } from './packetEvidence';

/** The approvals view of the evidence index, over the evidence plugin's in-process API. */
export function packetResolverOf(
  evidence: Pick<EvidenceService, 'summary'>,
): PacketResolver {
  return {
    async resolve(packetId) {
      const packet = await evidence.summary(packetId);
      return (
        packet && {
          ...packet,
          tenant: packet.tenant?.toLocaleLowerCase('en-US'),
          entityRefs: packet.entityRefs.map(r => r.toLocaleLowerCase('en-US')),
        }
      );
    },
  };
}

/** The approvals view of drift, over the drift plugin's in-process API. */
export function driftReaderOf(
  drift: Pick<DriftService, 'targetVerdict'>,
): DriftReader {
  return {
    current: target => drift.targetVerdict(target),
  };
}
