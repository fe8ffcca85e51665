import { Knex } from 'knex';

/** Deletes a table's rows of these entity refs, 500 refs per statement (bind-variable limits). */
export async function deleteByRefs(
  tx: Knex.Transaction,
  table: string,
  refs: string[],
): Promise<void> {
  for (let i = 0; i < refs.length; i += 500) {
    await tx(table)
      .whereIn('ref', refs.slice(i, i + 500))
      .delete();
  }
}
