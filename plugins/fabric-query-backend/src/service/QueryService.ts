import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { EntityQuery, EntityStore } from '../database/EntityStore';

/** One entity of an answer. */
export interface QueryItem {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  type?: string;
}

export interface QueryAnswer {
  items: QueryItem[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

// The catalog's own permission rules: a conditional decision of the policy (the tenancy rule's
// IS_ENTITY_KIND / HAS_LABEL / IS_ENTITY_OWNER criteria) is applied to the stored entity exactly
// as the catalog applies it to its own.
const authorize = createConditionAuthorizer(Object.values(permissionRules));

/**
 * Answers a domain question from the read model with the catalog's read permission: what the
 * caller could read through `/api/catalog` is what it gets here, nothing more.
 */
export class QueryService {
  constructor(
    private readonly deps: {
      entities: Pick<EntityStore, 'find'>;
      permissions: PermissionsService;
    },
  ) {}

  async query(
    credentials: BackstageCredentials,
    query: Omit<EntityQuery, 'withEntity'>,
  ): Promise<QueryAnswer> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed: ${catalogEntityReadPermission.name}; a token for CI needs catalog.entity.read for the fabric-query plugin`,
      );
    }
    const conditional = decision.result === AuthorizeResult.CONDITIONAL;
    const rows = await this.deps.entities.find({
      ...query,
      withEntity: conditional,
    });
    const visible = conditional
      ? rows.filter(row =>
          authorize(decision, JSON.parse(row.entity!) as Entity),
        )
      : rows;
    return {
      items: visible.map(row => ({
        ref: row.ref,
        kind: row.kind,
        namespace: row.namespace,
        name: row.name,
        ...(row.title ? { title: row.title } : {}),
        ...(row.type ? { type: row.type } : {}),
      })),
      ...(rows.length === query.limit
        ? { nextCursor: rows[rows.length - 1].ref }
        : {}),
    };
  }
}
