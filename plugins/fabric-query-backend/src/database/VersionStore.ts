import { Knex } from 'knex';

const TABLE = 'fabric_query_version';

/** `fabric_query_version`: one row, raised in the transaction of every read-model change. */
export class VersionStore {
  constructor(private readonly db: Knex) {}

  async current(): Promise<string> {
    const row = await this.db(TABLE).select('version').where('id', 1).first();
    return String(row?.version ?? 0);
  }

  async raise(tx: Knex.Transaction): Promise<void> {
    await tx(TABLE)
      .where('id', 1)
      .update({ version: tx.raw('version + 1') });
  }
}
