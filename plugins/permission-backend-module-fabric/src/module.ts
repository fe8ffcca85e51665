import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readFabricPolicyConfig } from './config';
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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, logger, auth, userInfo, catalog }) {
        // Throws with the offending key, so a bad config stops the backend at startup.
        const policyConfig = readFabricPolicyConfig(config);
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
