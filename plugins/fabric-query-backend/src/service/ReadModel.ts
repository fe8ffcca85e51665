import { Knex } from 'knex';
import { EntityStore } from '../database/EntityStore';
import { FactStore } from '../database/FactStore';
import { Fact, Projected } from './projection';

/** The two tables of the read model, written together. */
export class ReadModel {
  readonly entities: EntityStore;
  readonly facts: FactStore;

  constructor(private readonly db: Knex) {
    this.entities = new EntityStore(db);
    this.facts = new FactStore(db);
  }

  /** Stores changed entities and drops deleted ones in one transaction. */
  async apply(changed: Projected[], deleted: string[]): Promise<void> {
    if (!changed.length && !deleted.length) return;
    await this.db.transaction(async tx => {
      if (deleted.length) {
        await this.facts.remove(tx, deleted);
        await this.entities.remove(tx, deleted);
      }
      if (changed.length) {
        await this.entities.upsert(
          tx,
          changed.map(p => p.row),
        );
        await this.facts.replace(
          tx,
          new Map<string, Fact[]>(changed.map(p => [p.row.ref, p.facts])),
        );
      }
    });
  }
}
