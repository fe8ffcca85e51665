import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { TenantScoped, packetPermissionRules } from './rules';

/** Which packets a caller may see: all, or those of some tenants. */
export type TenantScope = { all: true } | { all: false; tenants: string[] };

function toTenantSet(criteria: PermissionCriteria<string[]>): Set<string> {
  if (isAndCriteria(criteria)) {
    const sets = criteria.allOf.map(toTenantSet);
    return sets.reduce(
      (acc, set) => new Set([...acc].filter(t => set.has(t))),
      sets[0] ?? new Set<string>(),
    );
  }
  if (isOrCriteria(criteria)) {
    return new Set(criteria.anyOf.flatMap(c => [...toTenantSet(c)]));
  }
  if (isNotCriteria(criteria)) {
    // "Every tenant but these" cannot be turned into a list; refuse rather than leak.
    return new Set();
  }
  return new Set(criteria);
}

const transform = createConditionTransformer<string[]>(
  packetPermissionRules as any,
);
const authorizeResource = createConditionAuthorizer<TenantScoped, string[]>(
  packetPermissionRules,
);

/**
 * Every permission check of the evidence API goes through here, so the
 * permission policy decides and the router never interprets roles itself.
 */
export class EvidenceAccess {
  constructor(private readonly permissions: PermissionsService) {}

  async assertAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  /** Checks a tenant-scoped permission against one packet. */
  async assertAllowedFor(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: TenantScoped,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (!authorizeResource(decision, resource)) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} for ${
          resource.tenant ?? 'a packet of no tenant'
        }`,
      );
    }
  }

  /** The tenants whose packets the caller may list under `permission`. */
  async scope(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<TenantScope> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { all: true };
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return {
      all: false,
      tenants: [...toTenantSet(transform(decision.conditions))],
    };
  }
}
