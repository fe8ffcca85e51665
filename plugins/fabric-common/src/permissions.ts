import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import { z } from 'zod';

/**
 * The tenant rule: the contract between the permission policy (which answers
 * tenant members with it) and each plugin with tenant-scoped resources (which
 * registers a rule of this name for its resource type and applies it).
 *
 * A resource passes when its tenant is one of `params.tenantRefs`.
 */
export const TENANT_RULE_NAME = 'IS_TENANT';

/**
 * Parameters of {@link TENANT_RULE_NAME}: canonical tenant refs such as
 * `tenant:default/project-birds`. An empty list matches nothing.
 */
export const tenantRuleParamsSchema = z.object({
  tenantRefs: z
    .array(z.string())
    .describe(
      'Canonical refs of the tenants whose resources are allowed, e.g. tenant:default/project-birds',
    ),
});

/** Parameters of {@link TENANT_RULE_NAME}. */
export type TenantRuleParams = z.infer<typeof tenantRuleParamsSchema>;

/** Permission resource types whose instances belong to exactly one tenant. */
export const TENANT_SCOPED_RESOURCE_TYPES = [
  'approvals-proposal',
  'evidence-packet',
  'drift-report',
] as const;

/** One of {@link TENANT_SCOPED_RESOURCE_TYPES}. */
export type TenantScopedResourceType =
  (typeof TENANT_SCOPED_RESOURCE_TYPES)[number];

/** The plugin that owns (and applies conditions for) each tenant-scoped resource type. */
export const TENANT_SCOPED_RESOURCE_PLUGIN_IDS: Readonly<
  Record<TenantScopedResourceType, string>
> = {
  'approvals-proposal': 'approvals',
  'evidence-packet': 'evidence',
  'drift-report': 'drift',
};

/** Whether a permission resource type is one of {@link TENANT_SCOPED_RESOURCE_TYPES}. */
export function isTenantScopedResourceType(
  resourceType: string,
): resourceType is TenantScopedResourceType {
  return (TENANT_SCOPED_RESOURCE_TYPES as readonly string[]).includes(
    resourceType,
  );
}

/**
 * Label that marks a catalog entity as belonging to one tenant (its value is
 * the tenant's name). The permission policy hides such entities, like Tenant
 * entities themselves, from users who do not own them.
 */
export const FABRIC_LABEL_TENANT = 'fabric.samakia.io/tenant';

/**
 * The conditional decision that limits a tenant-scoped permission to the
 * given tenants; the owning plugin evaluates it with its IS_TENANT rule.
 */
export function tenantConditionalDecision(
  resourceType: TenantScopedResourceType,
  tenantRefs: readonly string[],
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: TENANT_SCOPED_RESOURCE_PLUGIN_IDS[resourceType],
    resourceType,
    conditions: {
      rule: TENANT_RULE_NAME,
      resourceType,
      params: { tenantRefs: [...tenantRefs] },
    },
  };
}
