import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
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
// - At start-up the snapshot is empty until the Tenants are stored; an entity processed before
//   that publishes its relations as shared. The first poll that sees the Tenants finds their owner
//   groups "changed" and asks the catalog to refresh every entity those groups own, which are then
//   processed again with the snapshot and lose their relations on shared entities.
// - When a tenant's owner changes (or a tenant appears or goes away), the poll after the change
//   refreshes the entities of the old and the new owner group, which then follow the new owner.
// - The refresh is asked on two consecutive polls: an entity that was mid-processing with the old
//   snapshot during the first request (not yet stored, so not found by the owner query) is caught
//   by the second. The catalog's own periodic reprocessing is the backstop after that.

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
    },
  ) {}

  /** The tenants as of the last poll (empty before the first). */
  current(): readonly TenantOwnership[] {
    return this.#tenants;
  }

  /** Reloads the Tenants and refreshes the entities of owner groups that changed. */
  async poll(): Promise<void> {
    const { catalog, auth, logger } = this.options;
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
    for (const [owner, left] of [...this.#pending]) {
      const { items: owned } = await catalog.getEntities(
        {
          filter: { 'relations.ownedBy': owner },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      for (const entity of owned) {
        await catalog.refreshEntity(stringifyEntityRef(entity), {
          credentials,
        });
      }
      if (left > 1) this.#pending.set(owner, left - 1);
      else this.#pending.delete(owner);
      if (changed.includes(owner)) {
        logger.info(
          `Tenant ownership of ${owner} changed; reprocessing the ${owned.length} entities it owns`,
        );
      }
    }
  }
}
