import { LoggerService, UserInfoService } from '@backstage/backend-plugin-api';
import { createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
import {
  RESOURCE_TYPE_CATALOG_ENTITY,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  isTenantScopedResourceType,
  signingKeyAdministerPermission,
  tenantConditionalDecision,
  tenantMemberCatalogReadCriteria,
  tenantMemberTemplateReadCriteria,
  tenantRefsOwnedBy,
} from '@internal/plugin-fabric-common';
import {
  FABRIC_PLUGIN_PERMISSION_PREFIXES,
  FabricPolicyConfig,
} from './config';
import { TenantDirectory } from './tenants';

/** The role the policy gives a caller. */
export type FabricRole = 'admin' | 'operator' | 'governance' | 'tenant-member';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** What only administrators may do, not operators: act on another user's signing key. */
const ADMIN_ONLY = new Set([signingKeyAdministerPermission.name]);

/**
 * The governance owner's permissions among the Fabric plugins: read and decide proposals
 * (their signed approval of a ZAKON proposal is [CEO_APPROVED]), manage their own signing
 * key. Never create, apply or anything of evidence and drift beyond reading.
 */
const GOVERNANCE_PERMISSIONS = new Set([
  'approvals.proposal.read',
  'approvals.proposal.claim',
  'approvals.proposal.approve',
  'approvals.proposal.reject',
  'approvals.gate.read',
  'approvals.audit.verify',
  'evidence.packet.read',
  'drift.report.read',
  'signingKeys.key.manage',
]);

/**
 * The Fabric Portal's permission policy.
 *
 * - admins and operators (members of `permission.fabric.adminGroups` /
 *   `operatorGroups`): everything, except that only admins revoke other users'
 *   signing keys;
 * - governance (`permission.fabric.governanceGroups`, never an operator group): reads the
 *   catalog, reads and decides proposals, manages their own signing key; applies nothing;
 * - every other signed-in user is a tenant member: catalog entities of their
 *   own tenants or of no tenant (the tenancy rule in fabric-common), the configured `tenantPermissions` of the
 *   Fabric plugins on their own tenants only, nothing else of those plugins,
 *   no catalog writes, scaffolder tasks of their own;
 * - no user: nothing.
 *
 * Service principals (CI tokens) never reach a policy: the permission
 * framework limits them by `backend.auth.externalAccess[].accessRestrictions`.
 */
export class FabricPermissionPolicy implements PermissionPolicy {
  readonly #config: FabricPolicyConfig;
  readonly #userInfo: UserInfoService;
  readonly #tenants: TenantDirectory;
  readonly #logger?: LoggerService;
  readonly #adminGroups: Set<string>;
  readonly #operatorGroups: Set<string>;
  readonly #governanceGroups: Set<string>;
  readonly #tenantPermissions: Set<string>;

  constructor(options: {
    config: FabricPolicyConfig;
    userInfo: UserInfoService;
    tenants: TenantDirectory;
    logger?: LoggerService;
  }) {
    this.#config = options.config;
    this.#userInfo = options.userInfo;
    this.#tenants = options.tenants;
    this.#logger = options.logger;
    this.#adminGroups = new Set(this.#config.adminGroups);
    this.#operatorGroups = new Set(this.#config.operatorGroups);
    this.#governanceGroups = new Set(this.#config.governanceGroups ?? []);
    this.#tenantPermissions = new Set(this.#config.tenantPermissions);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return DENY;
    }
    const { userEntityRef, ownershipEntityRefs } =
      await this.#userInfo.getUserInfo(user.credentials);
    const claims = [
      ...new Set(
        [userEntityRef, ...ownershipEntityRefs].map(ref =>
          ref.toLocaleLowerCase('en-US'),
        ),
      ),
    ];
    const role = this.roleOf(claims);
    if (role === 'admin') {
      return ALLOW;
    }
    if (role === 'operator') {
      return ADMIN_ONLY.has(request.permission.name) ? DENY : ALLOW;
    }
    if (role === 'governance') {
      return this.#governanceDecision(request);
    }
    return this.#tenantMemberDecision(request, userEntityRef, claims);
  }

  /** The role of a caller with these (lower-case) ownership claims. */
  roleOf(claims: readonly string[]): FabricRole {
    if (claims.some(c => this.#adminGroups.has(c))) return 'admin';
    if (claims.some(c => this.#operatorGroups.has(c))) return 'operator';
    if (claims.some(c => this.#governanceGroups.has(c))) return 'governance';
    return 'tenant-member';
  }

  #governanceDecision({ permission }: PolicyQuery): PolicyDecision {
    const name = permission.name;
    if (
      name === 'catalog.entity.read' ||
      name === catalogLocationReadPermission.name
    ) {
      return ALLOW;
    }
    if (name.startsWith('catalog.')) return DENY;
    if (FABRIC_PLUGIN_PERMISSION_PREFIXES.some(p => name.startsWith(p))) {
      return GOVERNANCE_PERMISSIONS.has(name) ? ALLOW : DENY;
    }
    if (isPermission(permission, templateManagementPermission)) return DENY;
    if (isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
      return DENY;
    }
    // TechDocs, search, notifications, signals, settings...
    return ALLOW;
  }

  async #tenantMemberDecision(
    { permission }: PolicyQuery,
    userEntityRef: string,
    claims: string[],
  ): Promise<PolicyDecision> {
    const name = permission.name;

    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      if (name !== 'catalog.entity.read') return DENY;
      // The tenancy rule (fabric-common/tenancy.ts): nothing of another tenant, whether it is
      // the Tenant, carries its label or is owned by its team. TechDocs (pages, static assets,
      // metadata) and search results are checked against this same permission.
      // Templates: only those whose required permission the member holds (templatePermissions.ts
      // in fabric-common), so nobody is offered a form they cannot complete.
      const ownership = await this.#tenants.ownership();
      return createCatalogConditionalDecision(permission, {
        allOf: [
          tenantMemberCatalogReadCriteria(claims, ownership),
          tenantMemberTemplateReadCriteria(
            [...this.#tenantPermissions],
            tenantRefsOwnedBy(claims, ownership),
          ),
        ],
      } as Parameters<typeof createCatalogConditionalDecision>[1]);
    }
    if (name.startsWith('catalog.')) {
      // Registering, refreshing, deleting, unprocessed entities: operators only.
      return isPermission(permission, catalogLocationReadPermission)
        ? ALLOW
        : DENY;
    }

    if (FABRIC_PLUGIN_PERMISSION_PREFIXES.some(p => name.startsWith(p))) {
      if (!this.#tenantPermissions.has(name)) return DENY;
      if (!('resourceType' in permission) || !permission.resourceType) {
        return ALLOW;
      }
      if (!isTenantScopedResourceType(permission.resourceType)) {
        // Cannot be narrowed to the user's tenants, so fail closed.
        this.#logger?.warn(
          `Permission ${name} is listed in permission.fabric.tenantPermissions but its resource type ${permission.resourceType} is not tenant-scoped; denying it to tenant members`,
        );
        return DENY;
      }
      const tenantRefs = await this.#tenants.tenantRefsOwnedBy(claims);
      return tenantConditionalDecision(permission.resourceType, tenantRefs);
    }

    if (isPermission(permission, templateManagementPermission)) {
      return DENY;
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
      // Task read and cancel: only tasks the user started.
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }

    // Scaffolder task creation, TechDocs, search, notifications, signals, settings...
    return ALLOW;
  }
}
