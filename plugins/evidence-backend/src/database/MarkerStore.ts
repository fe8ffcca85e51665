import type { AcceptanceMarker } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';

const MARKERS = 'evidence_markers';

interface MarkerRow {
  source: string;
  marker_path: string;
  title: string;
  packet_key: string;
}

export interface MarkerCitation extends AcceptanceMarker {
  /** The packet key it cites: `<area>/<subject>/<timestamp>`. */
  packetKey: string;
}

/**
 * Acceptance markers of the roots. Each scan hands over a root's whole set;
 * only the difference is written, so a rescan of an unchanged root writes nothing.
 */
export class MarkerStore {
  constructor(private readonly db: Knex) {}

  /** Makes the stored markers of `source` equal `citations`; returns how many rows changed. */
  async replaceForSource(
    source: string,
    citations: MarkerCitation[],
  ): Promise<{ added: number; removed: number }> {
    const rowKey = (r: { marker_path: string; packet_key: string }) =>
      JSON.stringify([r.marker_path, r.packet_key]);
    const wanted = new Map<string, MarkerRow>();
    for (const c of citations) {
      const row = {
        source,
        marker_path: c.path,
        title: c.title.slice(0, 300),
        packet_key: c.packetKey,
      };
      wanted.set(rowKey(row), row);
    }
    return this.db.transaction(async tx => {
      const stored: MarkerRow[] = await tx(MARKERS)
        .where({ source })
        .select('source', 'marker_path', 'title', 'packet_key');
      const stale = stored.filter(r => {
        const want = wanted.get(rowKey(r));
        return !want || want.title !== r.title;
      });
      const storedKeys = new Map(stored.map(r => [rowKey(r), r]));
      const fresh = [...wanted.values()].filter(r => {
        const have = storedKeys.get(rowKey(r));
        return !have || have.title !== r.title;
      });
      for (const r of stale) {
        await tx(MARKERS)
          .where({
            source,
            marker_path: r.marker_path,
            packet_key: r.packet_key,
          })
          .delete();
      }
      if (fresh.length > 0) await tx.batchInsert(MARKERS, fresh, 200);
      return { added: fresh.length, removed: stale.length };
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
