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
import { ReadScope } from '../service/DriftService';
import { DriftReportResource, driftPermissionRules } from './rules';

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
  driftPermissionRules as any,
);
const authorizeResource = createConditionAuthorizer<
  DriftReportResource,
  string[]
>(driftPermissionRules);

/** Every permission check of the drift API goes through here; the policy decides. */
export class DriftAccess {
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

  /** Whether the caller may read this report under `permission`. */
  async allows(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: DriftReportResource,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return authorizeResource(decision, resource);
  }

  /** The tenants whose reports the caller may read under `permission`. */
  async scope(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<ReadScope> {
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
