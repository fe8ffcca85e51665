import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** The entities the operations views are computed from. */
export interface OperationsCatalog {
  /** Planes, fabric services and tenants the caller may read. */
  operationalEntities(credentials: BackstageCredentials): Promise<Entity[]>;
}

/**
 * Reads the catalog on behalf of the caller, so the catalog's permission
 * policy decides what each answer may mention: a tenant member gets the
 * shared planes and services but only the tenants it owns.
 */
export class CatalogOperationsSource implements OperationsCatalog {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
    },
  ) {}

  async operationalEntities(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { catalog, auth, permissions } = this.deps;
    let onBehalfOf = credentials;
    if (auth.isPrincipal(credentials, 'service')) {
      // A restricted token (CI) cannot be delegated to the catalog. Its restrictions for
      // this plugin must grant catalog.entity.read; then we read as ourselves, which is
      // what such a token could read from the catalog directly.
      const [decision] = await permissions.authorizeConditional(
        [{ permission: catalogEntityReadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed: ${catalogEntityReadPermission.name}; give the token catalog.entity.read for the fabric-ops plugin`,
        );
      }
      onBehalfOf = await auth.getOwnServiceCredentials();
    }
    const { items } = await catalog.getEntities(
      {
        filter: [
          { kind: 'Plane' },
          { kind: 'Tenant' },
          { kind: 'Component', 'spec.type': 'service' },
        ],
      },
      { credentials: onBehalfOf },
    );
    return items;
  }
}
