import type {
  EvidencePacket,
  PacketFile,
  PacketStep,
  Verdict,
} from '@internal/plugin-evidence-common';
import { Knex } from 'knex';

const PACKETS = 'evidence_packets';
const FILES = 'evidence_files';
const LINKS = 'evidence_links';

/** A packet row with what the service needs beyond the API shape. */
export interface StoredPacket extends EvidencePacket {
  steps: PacketStep[];
  contentDigest: string;
  fingerprint: string;
  /** Digest of the key ring and time-stamping authorities the packet was verified with. */
  keyringDigest: string;
  summaryPath?: string;
}

/** A file row, with the stat the download check compares against. */
export interface StoredFile extends PacketFile {
  mtimeMs?: number;
}

export interface PacketListFilter {
  area?: string;
  verdict?: Verdict;
  tenant?: string;
  /** Permission scope: only these tenants (undefined: all packets). */
  tenants?: string[];
  from?: string;
  to?: string;
  /** Packets linked to the entity, or in one of its annotated area/subject prefixes. */
  entity?: {
    ref: string;
    prefixes: Array<{ area: string; subjectPrefix?: string }>;
  };
  limit: number;
  offset: number;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function toPacket(row: any, links: string[]): StoredPacket {
  return {
    id: row.id,
    source: row.source,
    path: row.rel_path,
    key: row.packet_key,
    area: row.area,
    subject: row.subject ?? undefined,
    timestamp: row.timestamp,
    tenant: row.tenant_ref ?? undefined,
    entityRefs: links,
    title: row.title ?? undefined,
    result: row.result ?? undefined,
    kind: row.packet_kind ?? undefined,
    verdict: row.verdict,
    reasons: JSON.parse(row.reasons_json),
    signatures: JSON.parse(row.signatures_json),
    timestamps: row.timestamps_json ? JSON.parse(row.timestamps_json) : [],
    signers: JSON.parse(row.signers_json),
    requiredSigners: num(row.required_signers),
    steps: JSON.parse(row.steps_json),
    manifestFormat: row.manifest_format ?? undefined,
    manifestSha256: row.manifest_sha256 ?? undefined,
    fileCount: num(row.file_count),
    totalBytes: num(row.total_bytes),
    indexedAt: row.indexed_at,
    verifiedAt: row.verified_at,
    contentDigest: row.content_digest,
    fingerprint: row.fingerprint,
    keyringDigest: row.keyring_digest,
    summaryPath: row.summary_path ?? undefined,
  };
}

/** Escapes LIKE wildcards; subjects may hold `_`. */
function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, c => `\\${c}`)}/%`;
}

/** The index of packets, their files and entity links. Rows describe packets; packets are on disk. */
export class PacketStore {
  constructor(private readonly db: Knex) {}

  private async linksOf(ids: string[], tx: Knex = this.db) {
    const byId = new Map<string, string[]>();
    if (ids.length === 0) return byId;
    const rows = await tx(LINKS)
      .whereIn('packet_id', ids)
      .orderBy('entity_ref');
    for (const row of rows) {
      byId.set(row.packet_id, [
        ...(byId.get(row.packet_id) ?? []),
        row.entity_ref,
      ]);
    }
    return byId;
  }

  async get(id: string): Promise<StoredPacket | undefined> {
    const row = await this.db(PACKETS).where({ id }).first();
    if (!row) return undefined;
    return toPacket(row, (await this.linksOf([id])).get(id) ?? []);
  }

  async findBySourcePath(
    source: string,
    relPath: string,
  ): Promise<StoredPacket | undefined> {
    const row = await this.db(PACKETS)
      .where({ source, rel_path: relPath })
      .first();
    if (!row) return undefined;
    return toPacket(row, (await this.linksOf([row.id])).get(row.id) ?? []);
  }

  async listBySource(
    source: string,
  ): Promise<
    Array<{ id: string; relPath: string; verdict: Verdict; reasons: string }>
  > {
    const rows = await this.db(PACKETS)
      .where({ source })
      .select('id', 'rel_path', 'verdict', 'reasons_json');
    return rows.map(r => ({
      id: r.id,
      relPath: r.rel_path,
      verdict: r.verdict,
      reasons: r.reasons_json,
    }));
  }

  async files(packetId: string): Promise<StoredFile[]> {
    const rows = await this.db(FILES)
      .where({ packet_id: packetId })
      .orderBy('path');
    return rows.map(r => ({
      path: r.path,
      size: r.size === null ? undefined : num(r.size),
      mtimeMs: r.mtime_ms === null ? undefined : num(r.mtime_ms),
      sha256: r.sha256 ?? undefined,
      expectedSha256: r.expected_sha256 ?? undefined,
      status: r.status,
      kind: r.kind,
      text: Boolean(r.is_text),
      findings: JSON.parse(r.findings_json),
    }));
  }

  async file(packetId: string, path: string): Promise<StoredFile | undefined> {
    return (await this.files(packetId)).find(f => f.path === path);
  }

  /**
   * Inserts or replaces the index entry of one packet folder, with its files and links, in one
   * transaction, and answers the entry's id. A folder keeps the id it was first stored with:
   * two replicas indexing the same new folder at once (an upload, and a rescan that found it)
   * both save, and the second must neither fail nor move the entry to another id.
   */
  async save(packet: StoredPacket, files: StoredFile[]): Promise<string> {
    return this.db.transaction(async tx => {
      const row = {
        id: packet.id,
        source: packet.source,
        rel_path: packet.path,
        packet_key: packet.key,
        area: packet.area,
        subject: packet.subject ?? null,
        timestamp: packet.timestamp,
        tenant_ref: packet.tenant ?? null,
        title: packet.title ?? null,
        result: packet.result ?? null,
        packet_kind: packet.kind ?? null,
        verdict: packet.verdict,
        reasons_json: JSON.stringify(packet.reasons),
        signatures_json: JSON.stringify(packet.signatures),
        timestamps_json: JSON.stringify(packet.timestamps),
        signers_json: JSON.stringify(packet.signers),
        required_signers: packet.requiredSigners,
        steps_json: JSON.stringify(packet.steps),
        manifest_format: packet.manifestFormat ?? null,
        manifest_sha256: packet.manifestSha256 ?? null,
        content_digest: packet.contentDigest,
        file_count: packet.fileCount,
        total_bytes: packet.totalBytes,
        summary_path: packet.summaryPath ?? null,
        fingerprint: packet.fingerprint,
        keyring_digest: packet.keyringDigest,
        indexed_at: packet.indexedAt,
        verified_at: packet.verifiedAt,
      };
      await tx(PACKETS)
        .insert(row)
        .onConflict(['source', 'rel_path'])
        .merge(Object.keys(row).filter(column => column !== 'id'));
      const stored = await tx(PACKETS)
        .where({ source: row.source, rel_path: row.rel_path })
        .first('id');
      const id: string = stored.id;
      await tx(FILES).where({ packet_id: id }).delete();
      await tx(LINKS).where({ packet_id: id }).delete();
      if (files.length > 0) {
        await tx.batchInsert(
          FILES,
          files.map(f => ({
            packet_id: id,
            path: f.path,
            size: f.size ?? null,
            mtime_ms: f.mtimeMs ?? null,
            sha256: f.sha256 ?? null,
            expected_sha256: f.expectedSha256 ?? null,
            status: f.status,
            kind: f.kind,
            is_text: f.text,
            findings_json: JSON.stringify(f.findings),
          })),
          200,
        );
      }
      const links = [...new Set(packet.entityRefs)];
      if (links.length > 0) {
        await tx(LINKS).insert(
          links.map(entity_ref => ({ packet_id: id, entity_ref })),
        );
      }
      return id;
    });
  }

  private filtered(filter: Omit<PacketListFilter, 'limit' | 'offset'>) {
    const query = this.db(PACKETS);
    if (filter.tenants) {
      if (filter.tenants.length === 0) query.whereRaw('1 = 0');
      else query.whereIn('tenant_ref', filter.tenants);
    }
    if (filter.area) query.where('area', filter.area);
    if (filter.verdict) query.where('verdict', filter.verdict);
    if (filter.tenant) query.where('tenant_ref', filter.tenant);
    if (filter.from) query.where('timestamp', '>=', filter.from);
    if (filter.to) query.where('timestamp', '<', filter.to);
    if (filter.entity) {
      const { ref, prefixes } = filter.entity;
      query.where(outer => {
        outer.whereIn(
          'id',
          this.db(LINKS).select('packet_id').where('entity_ref', ref),
        );
        for (const p of prefixes) {
          outer.orWhere(inner => {
            inner.where('area', p.area);
            if (p.subjectPrefix) {
              inner.where(s =>
                s
                  .where('subject', p.subjectPrefix!)
                  .orWhereRaw('subject like ? escape ?', [
                    likePrefix(p.subjectPrefix!),
                    '\\',
                  ]),
              );
            }
          });
        }
      });
    }
    return query;
  }

  /** Newest first. */
  async list(
    filter: PacketListFilter,
  ): Promise<{ items: StoredPacket[]; total: number }> {
    const [{ count }] = await this.filtered(filter).count({ count: '*' });
    const rows = await this.filtered(filter)
      .orderBy('timestamp', 'desc')
      .orderBy('packet_key', 'asc')
      .orderBy('id', 'asc')
      .limit(filter.limit)
      .offset(filter.offset);
    const links = await this.linksOf(rows.map(r => r.id));
    return {
      items: rows.map(r => toPacket(r, links.get(r.id) ?? [])),
      total: num(count),
    };
  }

  async areas(tenants?: string[]): Promise<string[]> {
    const rows = await this.filtered({ tenants })
      .distinct('area')
      .orderBy('area');
    return rows.map(r => r.area);
  }
}
