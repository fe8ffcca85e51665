import { Knex } from 'knex';
import { deleteByRefs } from './chunks';
import { EntityRow, Fact } from '../service/projection';

const TABLE = 'fabric_query_entities';
const FACTS = 'fabric_query_facts';
/** Rows per INSERT: 8 columns each stays under SQLite's 999 bound variables. */
const CHUNK = 100;

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

  /** The entities answering `query`, ordered by ref. */
  async find(query: EntityQuery): Promise<FoundRow[]> {
    const columns = ['ref', 'kind', 'namespace', 'name', 'title', 'type'];
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
    if (query.after !== undefined) q.andWhere('ref', '>', query.after);
    return q.orderBy('ref').limit(query.limit);
  }
}
