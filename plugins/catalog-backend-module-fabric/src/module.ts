import {
  fabricRolesServiceRef,
  signingKeysServiceRef,
} from '@internal/plugin-fabric-node';
import { catalogGovernanceDirectory } from './providers/governanceApproval';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { approvalsServiceRef } from '@internal/plugin-approvals-node';
import { isSqlite, refreshSqliteStatistics } from './database/sqliteStatistics';
import { FabricEntitiesProcessor } from './processor/FabricEntitiesProcessor';
import {
  TenantOwnersRefreshProvider,
  TenantOwnersSnapshot,
} from './processor/tenantOwners';
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
        database: coreServices.database,
        catalogApi: catalogServiceRef,
        roles: fabricRolesServiceRef,
        signingKeys: signingKeysServiceRef,
      },
      async init({
        catalog,
        locations,
        auth,
        approvals,
        logger,
        config,
        scheduler,
        database,
        catalogApi,
        roles,
        signingKeys,
      }) {
        // Who owns which tenant, for the ownership half of the tenancy rule (tenantOwners.ts).
        const ownersRefresh = new TenantOwnersRefreshProvider();
        catalog.addEntityProvider(ownersRefresh);
        const tenantOwners = new TenantOwnersSnapshot({
          catalog: catalogApi,
          auth,
          logger,
          refreshByKeys: ownersRefresh.refresh,
        });
        const tenants = () => tenantOwners.current();
        catalog.addProcessor(
          new FabricEntitiesProcessor(tenants),
          // Replaces the built-in kinds processor (same name): a tenant's relations are
          // published on the tenant's side only.
          new TenantSideBuiltinKindsProcessor(tenants),
        );
        // Local: every replica's processors read their own snapshot.
        await scheduler.scheduleTask({
          id: 'fabric-tenant-owners',
          scope: 'local',
          frequency: { seconds: 5 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 1 },
          fn: () => tenantOwners.poll(),
        });
        catalog.addEntityProvider(
          new FabricProposalEntityProvider({
            auth,
            approvals: approvals.proposals,
            logger,
            config,
            governance: catalogGovernanceDirectory({
              catalog: catalogApi,
              auth,
              roles,
              signingKeys,
              logger,
            }),
            // Often enough that an applied proposal shows within seconds.
            taskRunner: scheduler.createScheduledTaskRunner({
              frequency: { seconds: 10 },
              timeout: { minutes: 1 },
              initialDelay: { seconds: 5 },
            }),
          }),
        );
        // The catalog's SQLite default gets planner statistics as it grows (sqliteStatistics.ts);
        // the first a minute after start (the first pass under way), then every 5 minutes.
        const catalogDb = await database.getClient();
        if (isSqlite(catalogDb)) {
          await scheduler.scheduleTask({
            id: 'fabric-catalog-sqlite-statistics',
            scope: 'local',
            frequency: { minutes: 5 },
            timeout: { minutes: 1 },
            initialDelay: { minutes: 1 },
            fn: async () => {
              await refreshSqliteStatistics(catalogDb);
            },
          });
        }
        const types = allowedLocationTypes(config);
        if (types) locations.setAllowedLocationTypes(types);
      },
    });
  },
});
