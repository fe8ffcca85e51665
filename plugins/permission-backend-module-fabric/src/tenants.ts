import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FABRIC_KIND_TENANT,
  TENANT_OWNERSHIP_FIELDS,
  TenantOwnership,
  tenantOwnershipFromEntities,
  tenantRefsOwnedBy,
} from '@internal/plugin-fabric-common';

/** How long the tenant list is reused; short, so a new tenant is visible within seconds. */
export const DEFAULT_TENANT_CACHE_TTL_MS = 10_000;

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
  #cache?: { expiresAt: number; owners: Promise<TenantOwnership[]> };

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
    return tenantRefsOwnedBy(claims, await this.ownership());
  }

  /** Every tenant and its owner group (the input of the tenancy rule in fabric-common). */
  ownership(): Promise<TenantOwnership[]> {
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

  async #load(): Promise<TenantOwnership[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: FABRIC_KIND_TENANT },
        fields: TENANT_OWNERSHIP_FIELDS,
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    return tenantOwnershipFromEntities(items);
  }
}
