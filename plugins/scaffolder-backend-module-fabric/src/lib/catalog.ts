import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Catalog reads as the task's user: what they cannot see does not exist for them. */
export class UserCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  get(ref: string): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(ref, { credentials: this.credentials });
  }

  async exists(ref: string): Promise<boolean> {
    return (await this.get(ref)) !== undefined;
  }
}
