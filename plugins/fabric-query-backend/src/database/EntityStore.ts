import { Knex } from 'knex';
import { deleteByRefs } from './chunks';
import { EntityRow, Fact } from '../service/projection';

const TABLE = 'fabric_query_entities';
const FACTS = 'fabric_query_facts';
/** Rows per INSERT: 8 columns each stays under SQLite's 999 bound variables. */
const CHUNK = 100;

/** The columns of an answer (the stored JSON is read only for permission conditions). */
const COLUMNS = ['ref', 'kind', 'namespace', 'name', 'title', 'type'];

/** A domain question: entities of one kind with every fact given. */
export interface EntityQuery {
  kind: string;
  type?: string;
  namespace?: string;
  name?: string;
  facts: Fact[];
  /** Only refs after this one (the page cursor). */
  after?: string;
  limit: number;
  /** Also read the stored entity (needed to apply permission conditions). */
  withEntity: boolean;
}

export type FoundRow = Omit<EntityRow, 'etag' | 'entity'> & {
  entity?: string;
};

/** `fabric_query_entities`: one row per catalog entity of the fabric kinds. */
export class EntityStore {
  constructor(private readonly db: Knex) {}

  /** ref -> etag of every stored entity: what the feed compares with the catalog. */
  async etags(): Promise<Map<string, string>> {
    const rows = await this.db(TABLE).select('ref', 'etag');
    return new Map(rows.map(r => [r.ref as string, r.etag as string]));
  }

  async upsert(tx: Knex.Transaction, rows: EntityRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx(TABLE)
        .insert(rows.slice(i, i + CHUNK))
        .onConflict('ref')
        .merge();
    }
  }

  async remove(tx: Knex.Transaction, refs: string[]): Promise<void> {
    await deleteByRefs(tx, TABLE, refs);
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db(TABLE).count({ n: '*' });
    return Number(n);
  }

  /** Every stored entity without its JSON: what the in-memory index of a replica holds. */
  async listAll(): Promise<FoundRow[]> {
    return this.db(TABLE).select(COLUMNS);
  }

  /** ref -> the stored entity JSON of these refs (to apply permission conditions). */
  async entityJson(refs: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await this.db(TABLE)
        .select('ref', 'entity')
        .whereIn('ref', refs.slice(i, i + 500));
      for (const r of rows) found.set(r.ref, r.entity);
    }
    return found;
  }

  /** The entities answering `query`, ordered by ref. */
  async find(query: EntityQuery): Promise<FoundRow[]> {
    const columns = [...COLUMNS];
    if (query.withEntity) columns.push('entity');
    const q = this.db(TABLE).select(columns).where('kind', query.kind);
    if (query.type !== undefined) q.andWhere('type', query.type);
    if (query.namespace !== undefined) {
      q.andWhere('namespace', query.namespace);
    }
    if (query.name !== undefined) q.andWhere('name', query.name);
    for (const { fact, value } of query.facts) {
      q.whereIn('ref', this.db(FACTS).select('ref').where({ fact, value }));
    }
    // Byte order on every database (PostgreSQL's default collation would order `-` and `:`
    // by locale), the same order as the in-memory index of ReadModelIndex.
    const ref =
      this.db.client.config.client === 'pg' ? 'ref collate "C"' : 'ref';
    if (query.after !== undefined) {
      q.andWhereRaw(`${ref} > ?`, [query.after]);
    }
    return q.orderByRaw(ref).limit(query.limit);
  }
}
