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
  createPermissionResourceRef,
  createPermissionRule,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import {
  TENANT_RULE_NAME,
  tenantRuleParamsSchema,
} from '@internal/plugin-fabric-common';

/** A tenant-scoped resource as the permission rules see it; one of no tenant never matches. */
export type TenantScoped = { tenant?: string | null };

/** What a caller may see: everything, or the resources of some tenants. */
export type TenantScope = { all: true } | { all: false; tenants: string[] };

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The `IS_TENANT` rule (contract in fabric-common) for one plugin's resource type. Its query
 * type is the list of allowed tenant refs: stores filter lists with it, and single resources
 * are checked with `apply`.
 */
export function createTenantPermissionRule(options: {
  pluginId: string;
  resourceType: string;
  /** Plural noun for the rule's description, e.g. "proposals". */
  resources: string;
}) {
  const resourceRef = createPermissionResourceRef<
    TenantScoped,
    string[]
  >().with({ pluginId: options.pluginId, resourceType: options.resourceType });
  const rule = createPermissionRule({
    name: TENANT_RULE_NAME,
    description: `Allow ${options.resources} whose tenant is one of the given tenants`,
    resourceRef,
    paramsSchema: tenantRuleParamsSchema,
    apply: (resource, { tenantRefs }) =>
      Boolean(resource.tenant) &&
      tenantRefs.map(lower).includes(lower(resource.tenant!)),
    toQuery: ({ tenantRefs }) => tenantRefs.map(lower),
  });
  return { resourceRef, rule, rules: [rule] };
}

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

/**
 * Every permission check of a tenant-scoped Fabric API goes through one of these, so the
 * permission policy decides and routers never interpret roles themselves.
 */
export class TenantScopedAccess {
  private readonly transform;
  private readonly authorizeResource;

  constructor(
    private readonly permissions: PermissionsService,
    rules: ReturnType<typeof createTenantPermissionRule>['rules'],
    /** Singular noun for messages, e.g. "packet". */
    private readonly noun: string,
  ) {
    this.transform = createConditionTransformer<string[]>(rules as any);
    this.authorizeResource = createConditionAuthorizer<TenantScoped, string[]>(
      rules,
    );
  }

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

  /** Whether the caller may use `permission` on this resource. */
  async allows(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: TenantScoped,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return this.authorizeResource(decision, resource);
  }

  async assertAllowedFor(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: TenantScoped,
  ): Promise<void> {
    if (!(await this.allows(credentials, permission, resource))) {
      // Without the tenant's name: a refused caller learns nothing about whose it is.
      throw new NotAllowedError(
        `Not allowed: ${permission.name} (${
          resource.tenant
            ? 'not one of your tenants'
            : `a ${this.noun} of no tenant`
        })`,
      );
    }
  }

  /** The tenants whose resources the caller may list under `permission`. */
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
      tenants: [...toTenantSet(this.transform(decision.conditions))],
    };
  }
}
