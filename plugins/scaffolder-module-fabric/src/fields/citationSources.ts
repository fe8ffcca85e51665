import type { DriftApi } from '@internal/plugin-drift';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import type { EvidenceApi } from '@internal/plugin-evidence';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import { PacketKind, PacketRef } from '@internal/plugin-approvals-common';

// What a proposal can cite, read as the signed-in user through the evidence and drift plugins'
// APIs, and how a person reads each item. The citation pickers list these; the Review step
// (FabricReviewValue) names the picked ones the same way.

/** What the evidence field holds: the cited packets, as a proposal's `packets`. */
export type PacketPicks = Array<Pick<PacketRef, 'packetId' | 'kind'>>;

/** How many of the tenant's packets the evidence field offers. */
export const PACKETS_OFFERED = 200;

/** How many of the newest runs the drift field offers. */
export const DRIFT_RUNS_OFFERED = 20;

/** How a person reads each packet kind. */
export const PACKET_KIND_LABELS: Record<PacketKind, string> = {
  'eval-report': 'Evaluation report',
  'dataset-manifest': 'Dataset manifest',
  compatibility: 'Compatibility',
  plan: 'Plan',
  verification: 'Verification',
  other: 'Other',
};

/** Verified packets first, then the newest first. */
export function orderPackets(packets: EvidencePacket[]): EvidencePacket[] {
  return [...packets].sort(
    (a, b) =>
      Number(b.verdict === 'verified') - Number(a.verdict === 'verified') ||
      b.timestamp.localeCompare(a.timestamp),
  );
}

/** The tenant's packets the signed-in user may read, in the order the field offers them. */
export async function listCitablePackets(
  evidenceApi: Pick<EvidenceApi, 'listPackets'>,
  tenantRef: string,
): Promise<EvidencePacket[]> {
  const { items } = await evidenceApi.listPackets({
    tenant: tenantRef,
    limit: PACKETS_OFFERED,
  });
  return orderPackets(items);
}

/** The tenant's newest runs in the environment the signed-in user may read, newest first. */
export async function listCitableRuns(
  driftApi: Pick<DriftApi, 'getHistory'>,
  tenantRef: string,
  environment: string,
): Promise<DriftRunSummary[]> {
  const history = await driftApi.getHistory({
    tenant: tenantRef,
    environment,
    limit: DRIFT_RUNS_OFFERED,
  });
  return [...history.items].sort((a, b) =>
    b.observedAt.localeCompare(a.observedAt),
  );
}

/** `2026-01-02T17:07:50.000Z` -> `2026-01-02 17:07 UTC`: the same for every reader. */
export const shortTime = (iso: string) =>
  `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The first block of a uuid, for an item whose title cannot be read. */
export const shortId = (id: string) => id.split('-')[0];

/** A packet's title, else its area and subject. */
export const packetTitle = (packet: EvidencePacket) =>
  packet.title ?? `${packet.area} ${packet.subject ?? ''}`.trim();

/** `ci/drift-nightly at 2026-11-20 10:00 UTC`: a run as the picker's checkbox names it. */
export const driftRunLabel = (run: DriftRunSummary) =>
  `${run.source} at ${shortTime(run.observedAt)}`;
