import {
  DriftStateService,
  EvidencePacketsService,
} from '@internal/plugin-fabric-node';
import { DriftReader, PacketResolver } from './packetEvidence';

/** Anything with a `get()` that waits for the implementation (fabric-node's refs). */
interface Deferred<T> {
  get(): Promise<T>;
}

/** The approvals view of the evidence index, over the evidence plugin's in-process API. */
export function packetResolverOf(
  evidence: Deferred<EvidencePacketsService>,
): PacketResolver {
  return {
    async resolve(packetId) {
      const packet = await (await evidence.get()).getPacket(packetId);
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
export function driftReaderOf(drift: Deferred<DriftStateService>): DriftReader {
  return {
    async current(target) {
      return (await drift.get()).currentVerdict(target);
    },
  };
}
