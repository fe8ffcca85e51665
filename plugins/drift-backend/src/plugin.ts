import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  driftPermissions,
  driftReportReadPermission,
} from '@internal/plugin-drift-common';
import { readDriftConfig } from './config';
import { driftServiceRegistryRef } from '@internal/plugin-drift-node';
import { applyMigrations } from './database/migrations';
import {
  fabricPluginCoreDeps,
  migratedDatabase,
  registerTenantResource,
} from '@internal/plugin-fabric-node';
import { driftReportPermissionRules } from './permissions';
import { createDriftNodeService } from './nodeService';
import { createRouter } from './router';
import {
  FABRIC_KIND_TENANT,
  LEGAL_HOLD_FIELDS,
  TENANT_OWNERSHIP_FIELDS,
  heldTenantRefs,
  tenantOwnershipFromEntities,
} from '@internal/plugin-fabric-common';
import { DriftCatalog } from './service/catalog';
import { DriftService } from './service/DriftService';
import { BackstageDriftDelivery } from './service/notifier';

/**
 * The drift backend plugin: ingests runs from CI (JSON or Terraform's JSON
 * plan), keeps their history, answers the Drift tab and overview, and
 * signals owners by rule. It has no endpoint that changes infrastructure.
 */
export const driftPlugin = createBackendPlugin({
  pluginId: 'drift',
  register(env) {
    env.registerInit({
      deps: {
        ...fabricPluginCoreDeps,
        catalog: catalogServiceRef,
        notifications: notificationService,
        permissionsRegistry: coreServices.permissionsRegistry,
        registry: driftServiceRegistryRef,
      },
      async init({
        auth,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        notifications,
        permissions,
        permissionsRegistry,
        registry,
        scheduler,
      }) {
        const driftConfig = readDriftConfig(config);
        const db = await migratedDatabase(database, applyMigrations);
        const driftCatalog: DriftCatalog = {
          async getEntity(ref) {
            return catalog.getEntityByRef(ref, {
              credentials: await auth.getOwnServiceCredentials(),
            });
          },
          async tenants() {
            const { items } = await catalog.getEntities(
              {
                filter: { kind: FABRIC_KIND_TENANT },
                fields: TENANT_OWNERSHIP_FIELDS,
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return tenantOwnershipFromEntities(items);
          },
          async heldTenants() {
            const { items } = await catalog.getEntities(
              {
                filter: { kind: FABRIC_KIND_TENANT },
                fields: LEGAL_HOLD_FIELDS,
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return heldTenantRefs(items);
          },
        };
        const drift = new DriftService({
          db,
          config: driftConfig,
          catalog: driftCatalog,
          logger,
          delivery: new BackstageDriftDelivery(
            notifications,
            driftConfig.notifications.external,
            logger,
            config.getOptionalString('app.baseUrl') ?? '',
          ),
        });

        const access = registerTenantResource({
          permissions,
          permissionsRegistry,
          rules: driftReportPermissionRules,
          resourcePermissions: driftPermissions,
          readPermission: driftReportReadPermission,
          noun: 'drift run',
          find: id => drift.runs.find(id),
        });

        // Held notifications (quiet hours) and failed deliveries go out from here.
        await scheduler.scheduleTask({
          id: 'drift-notifications-flush',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            const sent = await drift.flushDue();
            if (sent > 0) logger.info(`Sent ${sent} drift notifications`);
          },
        });
        await scheduler.scheduleTask({
          id: 'drift-retention',
          frequency: { milliseconds: driftConfig.retention.frequencyMs },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const removed = await drift.cleanup();
            if (removed.runs > 0 || removed.notifications > 0) {
              logger.info(
                `Drift retention removed ${removed.runs} runs and ${removed.notifications} notifications`,
              );
            }
          },
        });

        // Other plugins (fabric-ops) read drift in-process.
        registry.register(createDriftNodeService({ drift, access }));

        httpRouter.use(
          await createRouter({
            logger,
            auth,
            httpAuth,
            access,
            drift,
            config: driftConfig,
          }),
        );
        logger.info(
          `Drift ready; retention ${Math.round(
            driftConfig.retention.maxAgeMs / 86_400_000,
          )} days, notifications ${
            driftConfig.notifications.enabled ? 'on' : 'off'
          }, outside the portal ${
            driftConfig.notifications.external.enabled ? 'on' : 'off'
          }`,
        );
      },
    });
  },
});
