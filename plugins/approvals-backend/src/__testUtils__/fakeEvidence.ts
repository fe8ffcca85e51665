import {
  DriftReader,
  PacketResolver,
  ResolvedPacket,
} from '../service/packetEvidence';

/** An evidence index held in memory: the packets a test puts in. */
export class InMemoryPackets implements PacketResolver {
  private readonly packets = new Map<string, ResolvedPacket>();

  add(packet: Partial<ResolvedPacket> & Pick<ResolvedPacket, 'id'>) {
    this.packets.set(packet.id, {
      entityRefs: [],
      verdict: 'verified',
      timestamp: '2030-01-07T09:00:00.000Z',
      ...packet,
    });
    return packet.id;
  }

  async resolve(packetId: string) {
    return this.packets.get(packetId);
  }
}

/** Drift held in memory: the current verdict per `tenant|environment`. */
export class InMemoryDrift implements DriftReader {
  readonly verdicts = new Map<string, 'PASS' | 'WARN' | 'FAIL'>();

  set(tenant: string, environment: string, verdict: 'PASS' | 'WARN' | 'FAIL') {
    this.verdicts.set(`${tenant}|${environment}`, verdict);
  }

  async current(target: { tenant: string; environment: string }) {
    const verdict =
      this.verdicts.get(`${target.tenant}|${target.environment}`) ?? 'NONE';
    return { verdict, summary: `${verdict} in the newest run` } as const;
  }
}
