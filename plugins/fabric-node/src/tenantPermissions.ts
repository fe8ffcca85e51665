import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
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
 *
 * Another tenant's resource asked for by id is a 404, decided here once for every plugin
 * (`findFor`): it answers exactly like a missing id, so ids never reveal what other tenants
 * have. A 403 is for what the caller may see but not do, and for requests that are refused
 * whatever they name (an action the role never takes, a tenant the caller writes for).
 */
export class TenantScopedAccess {
  private readonly transform;
  private readonly authorizeResource;

  constructor(
    private readonly permissions: PermissionsService,
    rules: ReturnType<typeof createTenantPermissionRule>['rules'],
    /** Singular noun for messages, e.g. "packet". */
    private readonly noun: string,
    /**
     * The permission to see one of these resources at all (e.g. `evidence.packet.read`); a
     * resource the caller may not read is not found. Without it, the permission asked is used.
     */
    private readonly readPermission?: ResourcePermission,
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
      throw this.refusal(permission, resource);
    }
  }

  private refusal(
    permission: ResourcePermission,
    resource: TenantScoped,
  ): NotAllowedError {
    // Without the tenant's name: a refused caller learns nothing about whose it is.
    return new NotAllowedError(
      `Not allowed: ${permission.name} (${
        resource.tenant ? 'not one of your tenants' : `a ${this.noun} of no tenant`
      })`,
    );
  }

  /** What a missing id and an id of a resource the caller may not read both answer. */
  notFound(id: string): NotFoundError {
    return new NotFoundError(`No ${this.noun} with id ${id}`);
  }

  /**
   * Loads a resource by id for a caller who wants to use `permission` on it. Missing, or not
   * readable by the caller (another tenant's): `notFound(id)`, the same error either way.
   * Readable but `permission` refused: NotAllowedError, as `assertAllowedFor`.
   */
  async findFor<T extends TenantScoped>(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    id: string,
    find: (id: string) => Promise<T | undefined>,
  ): Promise<T> {
    const resource = await find(id);
    if (!resource) throw this.notFound(id);
    if (await this.allows(credentials, permission, resource)) return resource;
    const read = this.readPermission ?? permission;
    if (
      read.name !== permission.name &&
      (await this.allows(credentials, read, resource))
    ) {
      throw this.refusal(permission, resource);
    }
    throw this.notFound(id);
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
