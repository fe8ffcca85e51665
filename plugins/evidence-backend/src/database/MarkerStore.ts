import type { AcceptanceMarker } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';

const MARKERS = 'evidence_markers';

export interface MarkerCitation extends AcceptanceMarker {
  /** The packet key it cites: `<area>/<subject>/<timestamp>`. */
  packetKey: string;
}

/** Acceptance markers of the roots: replaced as a whole for a root at each scan. */
export class MarkerStore {
  constructor(private readonly db: Knex) {}

  async replaceForSource(
    source: string,
    citations: MarkerCitation[],
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(MARKERS).where({ source }).delete();
      if (citations.length > 0) {
        await tx.batchInsert(
          MARKERS,
          citations.map(c => ({
            source,
            marker_path: c.path,
            title: c.title.slice(0, 300),
            packet_key: c.packetKey,
          })),
          200,
        );
      }
    });
  }

  async citing(packetKey: string): Promise<AcceptanceMarker[]> {
    const rows = await this.db(MARKERS)
      .where({ packet_key: packetKey })
      .orderBy(['source', 'marker_path']);
    return rows.map(r => ({
      source: r.source,
      path: r.marker_path,
      title: r.title,
    }));
  }
}
