import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DriftRunbookLink } from '@internal/plugin-drift-common';

/** The catalog as drift reads it (with the plugin's own credentials). */
export interface DriftCatalog {
  getEntity(ref: string): Promise<Entity | undefined>;
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
