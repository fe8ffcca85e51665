import { Knex } from 'knex';
import { EntityStore } from '../database/EntityStore';
import { FactStore } from '../database/FactStore';
import { VersionStore } from '../database/VersionStore';
import { Fact, Projected } from './projection';

/** The tables of the read model, written together (the version raised with each change). */
export class ReadModel {
  readonly entities: EntityStore;
  readonly facts: FactStore;
  readonly version: VersionStore;

  constructor(private readonly db: Knex) {
    this.entities = new EntityStore(db);
    this.facts = new FactStore(db);
    this.version = new VersionStore(db);
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
      await this.version.raise(tx);
    });
  }
}
