import {
  Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DriftRunbookLink } from '@internal/plugin-drift-common';
import {
  TenantOwnership,
  recipientsAllowedFor,
} from '@internal/plugin-fabric-common';

/** The catalog as drift reads it (with the plugin's own credentials). */
export interface DriftCatalog {
  getEntity(ref: string): Promise<Entity | undefined>;
  /** Every tenant and its owner group (the input of the tenancy rule). */
  tenants(): Promise<TenantOwnership[]>;
  /** Canonical refs of the tenants under a legal hold (`spec.legalHold`); retention keeps their data. */
  heldTenants(): Promise<string[]>;
}

/** The owner groups (or users) of an entity: its ownedBy relations, else spec.owner. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/**
 * The recipients, among `candidates`, that may hear about `subjects` under the tenancy rule: a
 * tenant's team only hears about its own tenant. A user recipient counts with its groups (a user
 * of team-orchard who owns a shared entity is still orchard's), so users are looked up.
 */
export async function tenantScopedRecipients(
  catalog: DriftCatalog,
  candidates: string[],
  subjects: Entity[],
  tenants: TenantOwnership[],
): Promise<string[]> {
  const withClaims = await Promise.all(
    [...new Set(candidates)].map(async ref => {
      if (parseEntityRef(ref).kind.toLocaleLowerCase('en-US') !== 'user') {
        return { ref, claims: [ref] };
      }
      const user = await catalog.getEntity(ref);
      const groups = (user?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef);
      // Before stitching (or in a raw entity) only spec.memberOf says it.
      const declared = (user?.spec as { memberOf?: unknown } | undefined)
        ?.memberOf;
      for (const group of Array.isArray(declared) ? declared : []) {
        if (typeof group !== 'string') continue;
        try {
          groups.push(
            stringifyEntityRef(
              parseEntityRef(group, {
                defaultKind: 'group',
                defaultNamespace: user?.metadata.namespace ?? 'default',
              }),
            ),
          );
        } catch {
          // not a ref: no claim
        }
      }
      return { ref, claims: [ref, ...groups] };
    }),
  );
  return recipientsAllowedFor(withClaims, subjects, tenants);
}

/** A display name: the entity's title, else its name. */
export function titleOf(entity: Entity | undefined, ref: string): string {
  return entity?.metadata.title ?? parseEntityRef(ref).name;
}

/**
 * Resolves configured runbook names to catalog runbooks, so a link shows only
 * when the runbook exists. Answers are cached briefly: the Drift tab asks for
 * the same few runbooks over and over.
 */
export class RunbookDirectory {
  private readonly cache = new Map<
    string,
    { at: number; link: DriftRunbookLink | undefined }
  >();

  constructor(
    private readonly catalog: DriftCatalog,
    private readonly config: {
      default?: string;
      byResourceType: Record<string, string>;
      byProvider: Record<string, string>;
    },
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async general(): Promise<DriftRunbookLink | undefined> {
    return this.config.default ? this.resolve(this.config.default) : undefined;
  }

  /** The runbook for a resource type, else for its provider. */
  async forFinding(
    resourceType: string | undefined,
    provider: string,
  ): Promise<DriftRunbookLink | undefined> {
    const name =
      (resourceType && this.config.byResourceType[resourceType]) ||
      this.config.byProvider[provider];
    return name ? this.resolve(name) : undefined;
  }

  private async resolve(name: string): Promise<DriftRunbookLink | undefined> {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(name, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      return undefined;
    }
    const cached = this.cache.get(ref);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.link;
    let link: DriftRunbookLink | undefined;
    try {
      const entity = await this.catalog.getEntity(ref);
      link = entity ? { ref, title: entity.metadata.title } : undefined;
    } catch {
      // A catalog hiccup only costs the link, never the drift answer.
      return undefined;
    }
    this.cache.set(ref, { at: this.now(), link });
    return link;
  }
}
