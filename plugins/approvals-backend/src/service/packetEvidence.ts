import { parseEntityRef } from '@backstage/catalog-model';
import {
  packetKindLabel,
  packetKindPhrase,
} from '@internal/plugin-fabric-common';
import {
  GateReason,
  PacketRef,
  PacketResolution,
  Proposal,
} from '@internal/plugin-approvals-common';

/**
 * The narrow view of the evidence index the approvals backend needs: one packet by id. It is
 * implemented in-process over the evidence plugin's service ref (see ./evidenceAdapters);
 * never over HTTP.
 */
export interface PacketResolver {
  resolve(packetId: string): Promise<ResolvedPacket | undefined>;
}

/** What the gate reads of a packet. */
export interface ResolvedPacket {
  id: string;
  /** Canonical tenant ref (lower-case), when the packet belongs to one. */
  tenant?: string;
  /** Entities the packet links to (lower-case refs). */
  entityRefs: string[];
  verdict: string;
  /** When the evidence was taken, ISO UTC. */
  timestamp: string;
  area?: string;
  title?: string;
  /** What the packet says it is (its packet.json `kind`, covered by the signed manifest). */
  kind?: string;
}

/** The narrow view of drift the gate needs: the current worst verdict for a target. */
export interface DriftReader {
  current(target: {
    tenant: string;
    environment: string;
  }): Promise<{ verdict: 'PASS' | 'WARN' | 'FAIL' | 'NONE'; summary: string }>;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * How one reference resolves against the packet it names (pure): it must exist, be
 * `verified`, belong to the proposal's tenant (or link to it), not be cited as a kind other
 * than the one it declares itself (`other` claims nothing), and be at most `maxAgeDays` old.
 */
export function resolvePacketRef(
  ref: Pick<PacketRef, 'packetId'> & { kind?: string },
  packet: ResolvedPacket | undefined,
  proposal: Pick<Proposal, 'tenant'>,
  now: Date,
  maxAgeDays: number,
): PacketResolution {
  const base = { packetId: ref.packetId, kind: ref.kind };
  if (!packet) {
    return {
      ...base,
      outcome: 'missing',
      message: `evidence packet ${ref.packetId} does not exist in the evidence index`,
    };
  }
  const seen = {
    ...base,
    verdict: packet.verdict,
    tenant: packet.tenant,
    timestamp: packet.timestamp,
  };
  const tenant = proposal.tenant.toLocaleLowerCase('en-US');
  if (packet.tenant !== tenant && !packet.entityRefs.includes(tenant)) {
    return {
      ...seen,
      outcome: 'foreign',
      message: `evidence packet ${ref.packetId} belongs to ${
        packet.tenant ?? 'no tenant'
      }, not to ${proposal.tenant}`,
    };
  }
  if (packet.verdict !== 'verified') {
    return {
      ...seen,
      outcome: 'unverified',
      message: `evidence packet ${ref.packetId} is ${packet.verdict}, not verified`,
    };
  }
  // Only a verified packet's packet.json is covered by its signature, so only now is its kind
  // the packet's word.
  const declared = { ...seen, declaredKind: packet.kind };
  if (
    packet.kind &&
    ref.kind &&
    ref.kind !== 'other' &&
    ref.kind !== packet.kind
  ) {
    return {
      ...declared,
      outcome: 'kind-mismatch',
      message: `evidence packet ${ref.packetId} is cited as ${packetKindPhrase(
        ref.kind,
      )} but its packet.json declares ${packetKindPhrase(
        packet.kind,
      )} ("kind": "${packet.kind}"); cite it with kind ${
        packet.kind
      } or cite ${packetKindPhrase(ref.kind)}`,
    };
  }
  const age = now.getTime() - new Date(packet.timestamp).getTime();
  if (!(age <= maxAgeDays * DAY)) {
    return {
      ...declared,
      outcome: 'stale',
      message: `evidence packet ${ref.packetId} was taken at ${packet.timestamp}, more than ${maxAgeDays} days ago`,
    };
  }
  return {
    ...declared,
    outcome: 'ok',
    message: `evidence packet ${ref.packetId} is verified, belongs to ${proposal.tenant} and was taken at ${packet.timestamp}`,
  };
}

/** The packet and drift checks of the gate, over the resolver and drift reader given. */
export class EvidenceChecks {
  constructor(
    private readonly deps: {
      packets?: PacketResolver;
      drift?: DriftReader;
      /** Packets older than this many days do not count. */
      maxAgeDays: number;
    },
  ) {}

  /** Resolves one reference; without an evidence service every reference is unavailable. */
  async resolve(
    ref: Pick<PacketRef, 'packetId'> & { kind?: string },
    proposal: Pick<Proposal, 'tenant'>,
    now: Date,
  ): Promise<PacketResolution> {
    if (!this.deps.packets) {
      return {
        packetId: ref.packetId,
        kind: ref.kind,
        outcome: 'unavailable',
        message: `evidence packet ${ref.packetId} cannot be checked: the evidence service is not running in this backend`,
      };
    }
    const packet = await this.deps.packets.resolve(ref.packetId);
    return resolvePacketRef(ref, packet, proposal, now, this.deps.maxAgeDays);
  }

  /** Every packet reference of the proposal, in order. */
  resolveAll(proposal: Proposal, now: Date): Promise<PacketResolution[]> {
    return Promise.all(
      (proposal.packets ?? []).map(ref => this.resolve(ref, proposal, now)),
    );
  }

  /**
   * What in the packets and the target's drift stands between the proposal and apply.
   * `requiredKinds` are the target environment's `promotionPacketKinds`.
   */
  async reasons(
    proposal: Proposal,
    now: Date,
    requiredKinds: readonly string[] = [],
  ): Promise<{ reasons: GateReason[]; packets: PacketResolution[] }> {
    const packets = await this.resolveAll(proposal, now);
    const reasons: GateReason[] = [];
    if (proposal.type === 'promotion' && packets.length === 0) {
      reasons.push({
        code: 'evidence-missing',
        message: `promotion ${proposal.id} cites no evidence packet`,
      });
    }
    for (const resolution of packets.filter(p => p.outcome !== 'ok')) {
      reasons.push({
        code: 'evidence-unresolved',
        message: resolution.message,
      });
    }
    if (proposal.type === 'promotion') {
      reasons.push(...missingKindReasons(proposal, packets, requiredKinds));
      const drift = await this.driftReason(proposal);
      if (drift) reasons.push(drift);
    }
    return { reasons, packets };
  }

  private async driftReason(
    proposal: Proposal,
  ): Promise<GateReason | undefined> {
    if (!this.deps.drift) {
      return {
        code: 'drift-fail',
        message: `drift of ${proposal.environment} cannot be read: the drift service is not running in this backend`,
      };
    }
    const drift = await this.deps.drift.current({
      tenant: proposal.tenant,
      environment: proposal.environment,
    });
    return drift.verdict === 'FAIL'
      ? {
          code: 'drift-fail',
          message: `the target ${proposal.environment} has FAIL drift for ${proposal.tenant}: ${drift.summary}`,
        }
      : undefined;
  }
}

/**
 * The required kinds no packet of the promotion stands for: a kind counts only through a
 * packet that resolved `ok` and declares that kind itself, so the proposer's label alone
 * never satisfies it (pure).
 */
export function missingKindReasons(
  proposal: Pick<Proposal, 'environment' | 'tenant'>,
  packets: PacketResolution[],
  requiredKinds: readonly string[],
): GateReason[] {
  return requiredKinds
    .filter(
      kind => !packets.some(p => p.outcome === 'ok' && p.declaredKind === kind),
    )
    .map(kind => {
      const labelled = packets.filter(
        p => p.outcome === 'ok' && p.kind === kind,
      );
      const why =
        labelled.length > 0
          ? `; ${labelled
              .map(p => p.packetId)
              .join(', ')} is cited as ${packetKindPhrase(
              kind,
            )} but does not declare it`
          : '';
      return {
        code: 'evidence-kind-missing' as const,
        message: `a promotion into ${environmentName(
          proposal.environment,
        )} needs ${packetKindPhrase(
          kind,
        )}${why}: cite a verified ${packetKindLabel(kind)} packet of ${
          proposal.tenant
        } whose packet.json declares "kind": "${kind}"`,
      };
    });
}

/** `prod` for `resource:default/prod` (the gate has no catalog title at hand); else as given. */
function environmentName(environment: string): string {
  try {
    return parseEntityRef(environment, { defaultKind: 'resource' }).name;
  } catch {
    return environment;
  }
}
