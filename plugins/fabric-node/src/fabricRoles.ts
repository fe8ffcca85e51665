import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  canonicalEntityRefSchema,
  fabricErrorMap,
  formatConfigError,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';

/** Where the policy's configuration lives. */
export const FABRIC_POLICY_CONFIG_KEY = 'permission.fabric';

/** Permission name prefixes of the Fabric plugins whose tenant access the policy governs. */
export const FABRIC_PLUGIN_PERMISSION_PREFIXES = [
  'approvals.',
  'evidence.',
  'drift.',
  'signingKeys.',
] as const;

/** The policy's validated configuration; group refs are canonical (lower case). */
export interface FabricPolicyConfig {
  adminGroups: string[];
  operatorGroups: string[];
  /**
   * The governance owner's groups (seed 003: only they give [CEO_APPROVED]). Not operators:
   * they decide ZAKON proposals with a signed approval and apply nothing.
   */
  governanceGroups: string[];
  tenantPermissions: string[];
}

const groupRefSchema = canonicalEntityRefSchema({
  defaultKind: 'Group',
  allowedKinds: ['Group'],
  example: 'group:default/platform-operators',
});

const permissionNameSchema = z.string().superRefine((name, ctx) => {
  const ours = FABRIC_PLUGIN_PERMISSION_PREFIXES.some(
    prefix => name.startsWith(prefix) && name.length > prefix.length,
  );
  if (!ours) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(
        name,
      )} is not a permission of the approvals, evidence, drift or signing-keys plugins; list only names starting with ${FABRIC_PLUGIN_PERMISSION_PREFIXES.join(
        ', ',
      )}`,
    });
  }
});

const fabricPolicyConfigSchema = z
  .object({
    adminGroups: z.array(groupRefSchema).default([]),
    // Without operators nobody could approve or apply, so refuse to start.
    operatorGroups: z.array(groupRefSchema).min(1),
    governanceGroups: z.array(groupRefSchema).default([]),
    tenantPermissions: z.array(permissionNameSchema).default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    // The governance owner gives [CEO_APPROVED]; operators approve and apply. One group in
    // both would let an operator give the governance token.
    value.governanceGroups.forEach((group, index) => {
      if ([...value.operatorGroups, ...value.adminGroups].includes(group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['governanceGroups', index],
          message: `${group} is also an operator or admin group; the governance group must be a group of its own, not operators`,
        });
      }
    });
  });

/**
 * Reads and validates `permission.fabric`. Throws at startup with one line
 * per problem, each naming the full config key and how to fix it.
 */
export function readFabricPolicyConfig(config: Config): FabricPolicyConfig {
  const raw = config.getOptional(FABRIC_POLICY_CONFIG_KEY);
  if (raw === undefined) {
    throw new Error(
      `Missing configuration ${FABRIC_POLICY_CONFIG_KEY}: the Fabric permission policy needs at least ${FABRIC_POLICY_CONFIG_KEY}.operatorGroups (e.g. [group:default/platform-operators])`,
    );
  }
  const result = fabricPolicyConfigSchema.safeParse(raw, {
    error: fabricErrorMap,
  });
  if (!result.success) {
    throw new Error(formatConfigError(FABRIC_POLICY_CONFIG_KEY, result.error));
  }
  return {
    adminGroups: [...new Set(result.data.adminGroups)],
    operatorGroups: [...new Set(result.data.operatorGroups)],
    governanceGroups: [...new Set(result.data.governanceGroups)],
    tenantPermissions: [...new Set(result.data.tenantPermissions)],
  };
}

/**
 * Who reviews: the roles of `permission.fabric`, read and validated once per backend. The
 * permission policy module owns that configuration (its config.d.ts documents it) and builds
 * its policy from {@link FabricRolesService.policyConfig}; other plugins (approvals) ask
 * this service which groups review instead of reading the permission module's config.
 */
export interface FabricRolesService {
  /** The validated `permission.fabric`; throws, naming the key, when missing or invalid. */
  policyConfig(): FabricPolicyConfig;
  /**
   * The groups whose members review and apply (operators and admins), as lower-case refs;
   * empty when `permission.fabric` is not configured (a backend without the Fabric policy).
   */
  reviewerGroups(): string[];
  /**
   * The governance groups (lower-case refs): their members' signed approval is the ZAKON
   * `[CEO_APPROVED]` decision. Empty when not configured, so no rule can be approved.
   */
  governanceGroups(): string[];
}

export function createFabricRolesService(config: Config): FabricRolesService {
  let parsed: FabricPolicyConfig | undefined;
  const policyConfig = () => (parsed ??= readFabricPolicyConfig(config));
  return {
    policyConfig,
    reviewerGroups() {
      if (!config.has(FABRIC_POLICY_CONFIG_KEY)) return [];
      const { operatorGroups, adminGroups } = policyConfig();
      return [...new Set([...operatorGroups, ...adminGroups])].map(g =>
        g.toLocaleLowerCase('en-US'),
      );
    },
    governanceGroups() {
      if (!config.has(FABRIC_POLICY_CONFIG_KEY)) return [];
      return policyConfig().governanceGroups.map(g =>
        g.toLocaleLowerCase('en-US'),
      );
    },
  };
}

export const fabricRolesServiceRef = createServiceRef<FabricRolesService>({
  id: 'fabric.roles',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => createFabricRolesService(config),
    }),
});
