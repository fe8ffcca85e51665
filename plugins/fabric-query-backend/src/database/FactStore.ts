import { Knex } from 'knex';
import { deleteByRefs } from './chunks';
import { Fact } from '../service/projection';

const TABLE = 'fabric_query_facts';
/** Rows per INSERT: 3 columns each stays under SQLite's 999 bound variables. */
const CHUNK = 300;

/** `fabric_query_facts`: the (fact, value) pairs the domain questions look up. */
export class FactStore {
  constructor(private readonly db: Knex) {}

  /** Replaces every fact of the given entities with the ones given. */
  async replace(
    tx: Knex.Transaction,
    facts: Map<string, Fact[]>,
  ): Promise<void> {
    await this.remove(tx, [...facts.keys()]);
    const rows = [...facts].flatMap(([ref, list]) =>
      list.map(f => ({ fact: f.fact, value: f.value, ref })),
    );
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx(TABLE).insert(rows.slice(i, i + CHUNK));
    }
  }

  async remove(tx: Knex.Transaction, refs: string[]): Promise<void> {
    await deleteByRefs(tx, TABLE, refs);
  }

  /** Every stored fact: what the in-memory index of a replica holds. */
  async listAll(): Promise<Array<Fact & { ref: string }>> {
    return this.db(TABLE).select('fact', 'value', 'ref');
  }

  /** The facts of one entity, sorted (for tests and diagnostics). */
  async forRef(ref: string): Promise<Fact[]> {
    return this.db(TABLE)
      .select('fact', 'value')
      .where('ref', ref)
      .orderBy(['fact', 'value']);
  }
}
