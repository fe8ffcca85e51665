import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_TENANT,
  tryCanonicalFabricRef,
} from '@internal/plugin-fabric-common';

/** How long the tenant list is reused; short, so a new tenant is visible within seconds. */
export const DEFAULT_TENANT_CACHE_TTL_MS = 10_000;

interface TenantOwner {
  tenantRef: string;
  ownerRef: string;
}

/**
 * Answers "which tenants do these ownership claims own?" from the catalog's
 * Tenant entities (`spec.owner`), read with the module's own service
 * credentials.
 *
 * One short-lived cache of the whole (small) tenant list serves every claim
 * set: one catalog call per TTL however many users ask, with the same
 * freshness as a per-user cache.
 */
export class TenantDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cache?: { expiresAt: number; owners: Promise<TenantOwner[]> };

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    ttlMs?: number;
    /** Clock in milliseconds; tests pin it. */
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TENANT_CACHE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Canonical refs of the tenants owned by any of `claims`, sorted. */
  async tenantRefsOwnedBy(claims: Iterable<string>): Promise<string[]> {
    const wanted = new Set(
      [...claims].map(claim => claim.toLocaleLowerCase('en-US')),
    );
    const owners = await this.#owners();
    return [
      ...new Set(
        owners.filter(o => wanted.has(o.ownerRef)).map(o => o.tenantRef),
      ),
    ].sort();
  }

  #owners(): Promise<TenantOwner[]> {
    const now = this.#now();
    if (this.#cache && this.#cache.expiresAt > now) {
      return this.#cache.owners;
    }
    // Concurrent callers share one in-flight request.
    const owners = this.#load();
    const entry = { expiresAt: now + this.#ttlMs, owners };
    this.#cache = entry;
    owners.catch(() => {
      // A failed lookup must not be served from the cache; the next call retries.
      if (this.#cache === entry) this.#cache = undefined;
    });
    return owners;
  }

  async #load(): Promise<TenantOwner[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: FABRIC_KIND_TENANT },
        fields: [
          'apiVersion',
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
        ],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const result: TenantOwner[] = [];
    for (const entity of items) {
      // Only our Tenant kind (checked here rather than in the filter, which some catalog
      // clients match case-sensitively on camel-case keys).
      if (entity.apiVersion !== FABRIC_API_VERSION) continue;
      const owner = entity.spec?.owner;
      const ownerRef =
        typeof owner === 'string'
          ? tryCanonicalFabricRef(owner, 'group', entity)
          : undefined;
      // The catalog processor rejects tenants without a valid owner; skip any that slip through.
      if (ownerRef) {
        result.push({ tenantRef: stringifyEntityRef(entity), ownerRef });
      }
    }
    return result;
  }
}
