import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  TenantOwnership,
  ownerRefsOf,
  tenantsOfEntity,
} from '@internal/plugin-fabric-common';
import { tenantOwnerRefreshKey } from './tenantOwners';

// A relation lives on both of its ends: processing a tenant's entity that points at a shared one
// (a tenant depending on a plane, a runbook owned by a tenant team) also writes the reverse
// relation onto the shared entity (the plane's dependencyOf, the group's ownerOf). The catalog
// returns a shared entity's relations to every reader, so that reverse relation would show
// another tenant's name to anybody who opens the plane. Relations of a tenant's entity are
// therefore published on the tenant's side only.
//
// Which entities are a tenant's is the tenancy rule of fabric-common, whole: the Tenant itself,
// the tenant label, and ownership by a tenant's owner group. The last needs the catalog's Tenant
// list, which the processors read from the module's TenantOwnersSnapshot (see tenantOwners.ts for
// how it converges at start-up and when a tenant's owner changes).

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Who owns which tenant, as the processors see it now. */
export type TenantsSource = () => readonly TenantOwnership[];

/**
 * Wraps `emit` so that reverse relations of a tenant's entity are only written onto that
 * tenant's own Tenant entity (where its Runbooks card needs them), never onto shared entities.
 */
export function tenantSideEmit(
  entity: Entity,
  emit: CatalogProcessorEmit,
  tenantOwners: readonly TenantOwnership[],
): CatalogProcessorEmit {
  const tenants = new Set(tenantsOfEntity(entity, tenantOwners));
  if (tenants.size === 0) return emit;
  const self = lower(stringifyEntityRef(entity));
  return result => {
    if (result.type === 'relation') {
      const source = lower(stringifyEntityRef(result.relation.source));
      if (source !== self && !tenants.has(source)) return;
    }
    emit(result);
  };
}

/**
 * The catalog's built-in kinds processor (ownedBy/ownerOf, dependsOn/dependencyOf, partOf/hasPart
 * of Components, Resources, Systems...) with {@link tenantSideEmit} applied. It carries the
 * built-in processor's name, which makes the catalog use it in the built-in's place.
 */
export class TenantSideBuiltinKindsProcessor implements CatalogProcessor {
  readonly #builtin = new BuiltinKindsEntityProcessor();

  constructor(private readonly tenants: TenantsSource = () => []) {}

  getProcessorName(): string {
    return this.#builtin.getProcessorName();
  }

  validateEntityKind(entity: Entity): Promise<boolean> {
    return this.#builtin.validateEntityKind(entity);
  }

  preProcessEntity(entity: Entity): Promise<Entity> {
    return this.#builtin.preProcessEntity(entity);
  }

  postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    // Every entity, of any kind, carries its owners' keys, so that a change of who owns a tenant
    // reprocesses exactly the owner group's entities (tenantOwners.ts).
    for (const owner of ownerRefsOf(entity)) {
      emit(processingResult.refresh(tenantOwnerRefreshKey(owner)));
    }
    return this.#builtin.postProcessEntity(
      entity,
      location,
      tenantSideEmit(entity, emit, this.tenants()),
    );
  }
}
