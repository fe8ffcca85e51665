import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  FABRIC_KIND_TENANT,
  TENANT_OWNERSHIP_FIELDS,
  TenantOwnership,
  tenantOwnershipFromEntities,
} from '@internal/plugin-fabric-common';

// The catalog processor needs the ownership half of the tenancy rule (an entity owned by a
// tenant's owner group is that tenant's, label or not), and that needs the catalog's Tenant
// entities. A processor must not call the catalog per entity (thousands of calls per pass, and
// the catalog may be mid-way through its own first pass), so the module keeps a snapshot that a
// local scheduled task reloads, and the processors read it synchronously.
//
// How it converges:
// - Every entity is processed with a refresh key per owner (tenantOwnerRefreshKey), whatever the
//   snapshot says, so the entities of an owner group can be reprocessed by that key alone.
// - At start-up the snapshot is empty until the Tenants are stored; an entity processed before
//   that publishes its relations as shared. The first poll that sees the Tenants finds their owner
//   groups "changed" and asks the catalog to reprocess the entities with those groups' keys, which
//   are then processed again with the snapshot and lose their relations on shared entities.
// - When a tenant's owner changes (or a tenant appears or goes away), the poll after the change
//   does the same for the old and the new owner group, whose entities then follow the new owner.
// - The request is made on two consecutive polls: an entity that was mid-processing with the old
//   snapshot during the first (its key not yet stored) is caught by the second. The catalog's own
//   periodic reprocessing is the backstop after that.
// - Why keys and not the catalog's refresh of each entity: refreshing an entity also refreshes
//   every Location above it, so each of the hundreds of entities an owner group may have made the
//   catalog read and parse that entity's whole catalog file again. Measured with
//   `yarn bench --only catalog` (10,000 entities in files of 500): 798 such refreshes during
//   ingestion, and the backend spent about half its CPU parsing YAML and a third in GC while they
//   ran. A refresh by key marks only the entities that carry the key.

/** The refresh key every entity owned by `ownerRef` (a lower-case canonical ref) is processed with. */
export function tenantOwnerRefreshKey(ownerRef: string): string {
  return `fabric-tenant-owner:${ownerRef.toLocaleLowerCase('en-US')}`;
}

/**
 * The catalog's way to reprocess entities by refresh key: an entity provider's connection. This
 * provider gives the catalog no entities; it only holds the connection.
 */
export class TenantOwnersRefreshProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  getProviderName(): string {
    return 'fabric-tenant-owners';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
  }

  /** False until the catalog has connected the provider (then nothing is asked). */
  readonly refresh = async (keys: string[]): Promise<boolean> => {
    if (!this.#connection) return false;
    await this.#connection.refresh({ keys });
    return true;
  };
}

/** Owner group ref -> the tenants it owns, as a comparable key. */
function ownersIndex(tenants: readonly TenantOwnership[]): Map<string, string> {
  const byOwner = new Map<string, string[]>();
  for (const t of tenants) {
    byOwner.set(t.ownerRef, [...(byOwner.get(t.ownerRef) ?? []), t.tenantRef]);
  }
  return new Map(
    [...byOwner].map(([owner, refs]) => [owner, refs.sort().join(',')]),
  );
}

/** Owner groups whose tenants differ between two snapshots (gained, lost or changed), sorted. */
export function changedTenantOwners(
  before: readonly TenantOwnership[],
  after: readonly TenantOwnership[],
): string[] {
  const a = ownersIndex(before);
  const b = ownersIndex(after);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter(owner => a.get(owner) !== b.get(owner))
    .sort();
}

/** The module's snapshot of who owns which tenant, for the processors. */
export class TenantOwnersSnapshot {
  #tenants: readonly TenantOwnership[] = [];
  /** Owner groups whose entities are refreshed on the next poll(s): group -> polls left. */
  readonly #pending = new Map<string, number>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** Reprocesses the entities with these keys; false when the catalog cannot yet. */
      refreshByKeys: (keys: string[]) => Promise<boolean>;
    },
  ) {}

  /** The tenants as of the last poll (empty before the first). */
  current(): readonly TenantOwnership[] {
    return this.#tenants;
  }

  /** Reloads the Tenants and reprocesses the entities of owner groups that changed. */
  async poll(): Promise<void> {
    const { catalog, auth, logger, refreshByKeys } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: { kind: FABRIC_KIND_TENANT },
        fields: TENANT_OWNERSHIP_FIELDS,
      },
      { credentials },
    );
    const next = tenantOwnershipFromEntities(items);
    const changed = changedTenantOwners(this.#tenants, next);
    // Swap first: whatever is processed from here on, the refreshed entities included, uses it.
    this.#tenants = next;
    for (const owner of changed) this.#pending.set(owner, 2);
    if (this.#pending.size === 0) return;
    const owners = [...this.#pending.keys()];
    if (!(await refreshByKeys(owners.map(tenantOwnerRefreshKey)))) return;
    for (const owner of owners) {
      const left = this.#pending.get(owner) ?? 0;
      if (left > 1) this.#pending.set(owner, left - 1);
      else this.#pending.delete(owner);
    }
    if (changed.length > 0) {
      logger.info(
        `Tenant ownership changed for ${changed.join(
          ', ',
        )}; reprocessing the entities they own`,
      );
    }
  }
}
