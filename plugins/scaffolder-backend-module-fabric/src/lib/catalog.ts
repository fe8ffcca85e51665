import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FABRIC_KIND_TENANT,
  FABRIC_LABEL_TENANT,
  TENANT_OWNERSHIP_FIELDS,
  tenantOwnershipFromEntities,
  tenantsOfEntity,
} from '@internal/plugin-fabric-common';

/** Catalog reads as the task's user: what they cannot see does not exist for them. */
export class UserCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  /** The catalog as the user who started the task sees it. */
  static async ofTask(
    catalog: CatalogService,
    ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
  ): Promise<UserCatalog> {
    return new UserCatalog(catalog, await ctx.getInitiatorCredentials());
  }

  /** The entity, or a 404 whose `message` says what to pick instead. */
  async require(ref: string, message: string): Promise<Entity> {
    const entity = await this.get(ref);
    if (!entity) throw new NotFoundError(message);
    return entity;
  }

  get(ref: string): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(ref, { credentials: this.credentials });
  }

  async exists(ref: string): Promise<boolean> {
    return (await this.get(ref)) !== undefined;
  }

  /**
   * The labels that mark a new entity as its tenant's (the tenancy rule in fabric-common): a
   * Tenant is its own; anything else belongs to the tenant its owner group owns, or to the tenant
   * of the entities it is about (`related`). The permission policy hides another tenant's
   * entities by ownership even without the label; the label makes the tenant explicit for
   * catalog filters and keeps the entity hidden if its owner later changes to a shared group.
   */
  async tenantLabels(
    draft: Entity,
    related: Entity[] = [],
  ): Promise<Record<string, string>> {
    if (draft.kind.toLocaleLowerCase('en-US') === 'tenant') {
      return { [FABRIC_LABEL_TENANT]: draft.metadata.name };
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: FABRIC_KIND_TENANT },
        fields: TENANT_OWNERSHIP_FIELDS,
      },
      { credentials: this.credentials },
    );
    const tenants = tenantOwnershipFromEntities(items);
    const refs = [
      ...new Set([draft, ...related].flatMap(e => tenantsOfEntity(e, tenants))),
    ].sort();
    if (refs.length > 1) {
      throw new ConflictError(
        `${draft.metadata.name} would belong to several tenants (${refs.join(
          ', ',
        )}); give it an owner of the one tenant it is for`,
      );
    }
    return refs.length
      ? { [FABRIC_LABEL_TENANT]: refs[0].slice(refs[0].lastIndexOf('/') + 1) }
      : {};
  }
}
