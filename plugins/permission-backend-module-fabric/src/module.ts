import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { fabricRolesServiceRef } from '@internal/plugin-fabric-node';
import { FabricPermissionPolicy } from './policy';
import { TenantDirectory } from './tenants';

/**
 * Installs the Fabric permission policy: roles from `permission.fabric` and
 * catalog group membership, tenant isolation for everyone who is not an
 * admin or operator.
 */
export const permissionModuleFabricPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'fabric-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        logger: coreServices.logger,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        roles: fabricRolesServiceRef,
      },
      async init({ policy, logger, auth, userInfo, catalog, roles }) {
        // Throws with the offending key, so a bad config stops the backend at startup.
        const policyConfig = roles.policyConfig();
        policy.setPolicy(
          new FabricPermissionPolicy({
            config: policyConfig,
            userInfo,
            tenants: new TenantDirectory({ catalog, auth }),
            logger,
          }),
        );
        logger.info(
          `Fabric permission policy: admins ${
            policyConfig.adminGroups.join(', ') || '(none)'
          }; operators ${policyConfig.operatorGroups.join(
            ', ',
          )}; tenant permissions ${
            policyConfig.tenantPermissions.join(', ') || '(none)'
          }`,
        );
      },
    });
  },
});
