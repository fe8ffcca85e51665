import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { tenantOwnershipFromEntities } from '@internal/plugin-fabric-common';
import { Knex } from 'knex';
import { DriftConfig } from '../config';
import { OutboxEntry } from '../database/NotificationStore';
import { DriftService } from '../service/DriftService';

/** The drift tables, children first, so deleting in this order respects the foreign keys. */
const DRIFT_TABLES = [
  'drift_notifications',
  'drift_resource_state',
  'drift_findings',
  'drift_runs',
];

/** Empties the drift tables between tests that share one migrated database. */
export async function clearDriftTables(knex: Knex): Promise<void> {
  for (const table of DRIFT_TABLES) {
    await knex(table).delete();
  }
}

export interface TestDriftServiceOptions {
  db: Knex;
  config: DriftConfig;
  /** The catalog the service sees: entities by ref, and tenant ownership derived from them. */
  entities: Entity[];
  /** Read on every call, so a test moves time by reassigning the variable it closes over. */
  now: () => Date;
  /** Tenants under legal hold; none unless given. */
  heldTenants?: () => Promise<string[]>;
  /** Receives each delivered notification; dropped unless given. */
  deliver?: (entry: OutboxEntry) => void;
}

/** A DriftService over an in-memory catalog and a test clock, as the drift tests use it. */
export function testDriftService(options: TestDriftServiceOptions) {
  const byRef = new Map(options.entities.map(e => [stringifyEntityRef(e), e]));
  return new DriftService({
    db: options.db,
    config: options.config,
    clock: { now: options.now },
    catalog: {
      getEntity: async ref => byRef.get(ref),
      tenants: async () => tenantOwnershipFromEntities(options.entities),
      heldTenants: options.heldTenants ?? (async () => []),
    },
    delivery: {
      async deliver(entry) {
        options.deliver?.(entry);
      },
    },
  });
}
