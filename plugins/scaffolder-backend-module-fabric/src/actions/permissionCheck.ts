import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  Permission,
  createPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { approvalsPermissions } from '@internal/plugin-approvals-common';
import {
  FABRIC_ANNOTATION_REQUIRED_PERMISSION,
  FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT,
  TENANT_SCOPED_RESOURCE_PLUGIN_IDS,
  isTenantScopedResourceType,
} from '@internal/plugin-fabric-common';
import {
  TenantScopedAccess,
  createTenantPermissionRule,
} from '@internal/plugin-fabric-node';
import { z } from 'zod';
import { blankAsUndefined, createFabricAction } from '../lib/fabricAction';

const inputSchema = z.object({
  tenant: blankAsUndefined(
    z
      .string()
      .describe(
        "The tenant the template acts on (a tenant-scoped permission is checked on it), e.g. the form's tenant; defaults to the template's fabric.samakia.io/required-permission-tenant",
      ),
  ),
});

const outputSchema = z.object({
  permission: z.string().describe('The permission that was checked'),
});

/** Permissions with a resource type (tenant-scoped ones) by name; any other name is basic. */
const RESOURCE_PERMISSIONS = new Map<string, Permission>(
  approvalsPermissions
    .filter(p => isResourcePermission(p))
    .map(p => [p.name, p]),
);

/**
 * A refusal is an answer, not a crash: the scaffolder writes an error's `stack` into the task
 * log, so this one carries only its message.
 */
export function refusal(message: string): NotAllowedError {
  const error = new NotAllowedError(message);
  error.stack = `${error.name}: ${message}`;
  return error;
}

/**
 * `fabric:permission:check`, the first step of every Fabric template: asks the permission
 * framework, as the user who started the task, for the permission the template declares
 * (`fabric.samakia.io/required-permission`), before any step writes anything. The same
 * annotation decides whether the policy shows the template at all; this step covers a template
 * opened by its URL, a policy change since the form was loaded and the tenant the form chose.
 */
export function createPermissionCheckAction(deps: {
  auth: AuthService;
  permissions: PermissionsService;
}) {
  return createFabricAction({
    id: 'fabric:permission:check',
    description:
      "Refuses, before any side effect, a user who lacks the permission the template declares in fabric.samakia.io/required-permission (on the form's tenant for a tenant-scoped permission).",
    examples: [
      {
        description: 'Check the permission on the tenant chosen in the form',
        example: [
          'steps:',
          '  - id: permission',
          '    name: Check that you may do this',
          '    action: fabric:permission:check',
          '    input:',
          '      tenant: ${{ parameters.tenant }}',
        ].join('\n'),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const template = ctx.templateInfo;
      const annotations = template?.entity?.metadata.annotations ?? {};
      const title =
        template?.entity?.metadata.title ?? template?.entityRef ?? 'template';
      const name = annotations[FABRIC_ANNOTATION_REQUIRED_PERMISSION];
      if (!name) {
        throw new InputError(
          `The template ${title} declares no ${FABRIC_ANNOTATION_REQUIRED_PERMISSION} annotation; add the permission its steps need to the template's metadata`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      if (!deps.auth.isPrincipal(credentials, 'user')) {
        throw refusal(
          `${title} runs for a signed-in user; this task was not started by one`,
        );
      }
      const permission =
        RESOURCE_PERMISSIONS.get(name) ??
        createPermission({ name, attributes: {} });
      const tenant =
        input.tenant ??
        annotations[FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT];
      let allowed: boolean;
      if (isResourcePermission(permission)) {
        const resourceType = permission.resourceType;
        if (!isTenantScopedResourceType(resourceType) || !tenant) {
          throw new InputError(
            `The template ${title} needs ${name}, which is checked on a tenant: give fabric:permission:check a tenant input or the template a ${FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT} annotation`,
          );
        }
        const access = new TenantScopedAccess(
          deps.permissions,
          createTenantPermissionRule({
            pluginId: TENANT_SCOPED_RESOURCE_PLUGIN_IDS[resourceType],
            resourceType,
            resources: resourceType,
          }).rules,
          resourceType,
        );
        allowed = await access.allows(credentials, permission, { tenant });
      } else {
        const [decision] = await deps.permissions.authorize([{ permission }], {
          credentials,
        });
        allowed = decision.result === AuthorizeResult.ALLOW;
      }
      if (!allowed) {
        throw refusal(
          `You may not use ${title}: it needs the permission ${name}${
            isResourcePermission(permission) ? ' on the chosen tenant' : ''
          }, which your role does not give you. Nothing was created or submitted; ask a platform operator to run it for you.`,
        );
      }
      ctx.logger.info(`Permission ${name} checked: allowed`);
      output({ permission: name });
    },
  });
}
