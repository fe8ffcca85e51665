import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { approvalsServiceRef } from '@internal/plugin-approvals-node';
import { FabricEntitiesProcessor } from './processor/FabricEntitiesProcessor';
import { TenantSideBuiltinKindsProcessor } from './processor/tenantSideRelations';
import {
  FabricProposalEntityProvider,
  allowedLocationTypes,
} from './providers/FabricProposalEntityProvider';

/**
 * Teaches the catalog the Fabric entity model: validation of Plane, Tenant,
 * ZakonRule and fabric Components, the ZAKON approval gate, and relations.
 * It also activates tenants and ZAKON rules whose proposals were approved and
 * applied (FabricProposalEntityProvider).
 */
export const catalogModuleFabric = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'fabric',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        locations: catalogLocationsExtensionPoint,
        auth: coreServices.auth,
        approvals: approvalsServiceRef,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
      },
      async init({
        catalog,
        locations,
        auth,
        approvals,
        logger,
        config,
        scheduler,
      }) {
        catalog.addProcessor(
          new FabricEntitiesProcessor(),
          // Replaces the built-in kinds processor (same name): a tenant's relations are
          // published on the tenant's side only.
          new TenantSideBuiltinKindsProcessor(),
        );
        catalog.addEntityProvider(
          new FabricProposalEntityProvider({
            auth,
            approvals: approvals.proposals,
            logger,
            config,
            // Often enough that an applied proposal shows within seconds.
            taskRunner: scheduler.createScheduledTaskRunner({
              frequency: { seconds: 10 },
              timeout: { minutes: 1 },
              initialDelay: { seconds: 5 },
            }),
          }),
        );
        const types = allowedLocationTypes(config);
        if (types) locations.setAllowedLocationTypes(types);
      },
    });
  },
});
