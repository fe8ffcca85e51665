import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { approvalsServiceRef } from '@internal/plugin-approvals-node';
import { driftServiceRef } from '@internal/plugin-drift-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { readFabricOpsConfig } from './config';
import { createRouter } from './router';
import { HealthService } from './service/HealthService';
import { MissionControlLeases } from './service/MissionControlLeases';
import { CatalogOperationsSource } from './service/OperationsCatalog';
import { InProcessSiblingReader } from './service/SiblingReader';

/**
 * The operations backend: answers "what breaks if this failure domain goes
 * down" for the portal's pages and for CI, and the health card of each plane
 * and service. It reads the catalog with the caller's credentials, evidence,
 * drift and approvals in-process through their -node service refs, and
 * changes nothing.
 */
export const fabricOpsPlugin = createBackendPlugin({
  pluginId: 'fabric-ops',
  register(env) {
    env.registerInit({
      deps: {
        approvals: approvalsServiceRef,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        drift: driftServiceRef,
        evidence: evidenceServiceRef,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
      },
      async init({
        approvals,
        auth,
        catalog,
        config,
        drift,
        evidence,
        httpAuth,
        httpRouter,
        logger,
        permissions,
      }) {
        const { staleAfterMs, leasesFile } = readFabricOpsConfig(config);
        const source = new CatalogOperationsSource({
          catalog,
          auth,
          permissions,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            catalog: source,
            leases: new MissionControlLeases({
              file: leasesFile,
              now: () => new Date(),
            }),
            health: new HealthService({
              catalog: source,
              siblings: new InProcessSiblingReader({
                auth,
                evidence,
                drift,
                approvals,
              }),
              auth,
              permissions,
              staleAfterMs,
              now: () => new Date(),
            }),
          }),
        );
      },
    });
  },
});
