import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  EVIDENCE_ANNOTATION,
  evidencePacketReadPermission,
  evidencePermissions,
  parseEvidenceAnnotation,
} from '@internal/plugin-evidence-common';
import { evidenceServiceRegistryRef } from '@internal/plugin-evidence-node';
import { applyMigrations } from './database/migrations';
import { LegacySigningKeyTable } from './database/LegacySigningKeyTable';
import {
  fabricPluginCoreDeps,
  importLegacySigningKeys,
  migratedDatabase,
  registerTenantResource,
  signingKeysServiceRef,
} from '@internal/plugin-fabric-node';
import { packetPermissionRules } from './permissions';
import { createEvidenceNodeService } from './nodeService';
import { createRouter } from './router';
import { EvidenceService } from './service/EvidenceService';
import { RegistryKeyringSource } from './service/keyring';
import { readEvidenceSettings } from './service/settings';
import {
  createUploadStorage,
  readStorageSettings,
} from './storage/createUploadStorage';

/** The evidence backend plugin: index, verification and safe serving of evidence packets. */
export const evidencePlugin = createBackendPlugin({
  pluginId: 'evidence',
  register(env) {
    env.registerInit({
      deps: {
        ...fabricPluginCoreDeps,
        catalog: catalogServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
        registry: evidenceServiceRegistryRef,
        signingKeys: signingKeysServiceRef,
      },
      async init({
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        registry,
        scheduler,
        signingKeys,
      }) {
        const settings = readEvidenceSettings(config);
        const db = await migratedDatabase(database, applyMigrations);
        await importLegacySigningKeys({
          source: 'evidence',
          rows: await new LegacySigningKeyTable(db).all(),
          signingKeys,
          logger,
        });
        const storage = createUploadStorage({
          s3: readStorageSettings(config),
          dataDir: settings.dataDir,
          db,
        });
        const evidence = new EvidenceService({
          db,
          settings,
          storage,
          logger,
          keyrings: new RegistryKeyringSource({
            registry: signingKeys,
            logger,
          }),
        });

        const access = registerTenantResource({
          permissions,
          permissionsRegistry,
          rules: packetPermissionRules,
          resourcePermissions: evidencePermissions,
          readPermission: evidencePacketReadPermission,
          noun: 'evidence packet',
          find: id => evidence.packets.get(id),
        });

        await scheduler.scheduleTask({
          id: 'evidence-rescan',
          frequency: settings.rescan.frequency,
          initialDelay: settings.rescan.initialDelay,
          timeout: { minutes: 30 },
          fn: async () => {
            const result = await evidence.rescan();
            logger.info(
              `Evidence rescan: ${result.scanned} packets (${result.added} added, ${result.updated} updated, ${result.removed} removed), ${result.markers} marker citations, ${result.errors.length} errors in ${result.durationMs} ms`,
            );
          },
        });

        // Other plugins (fabric-ops, the scaffolder) use evidence in-process.
        registry.register(createEvidenceNodeService({ evidence, access }));

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            access,
            evidence,
            maxUploadBytes: settings.upload.maxBytes,
            async entityPrefixes(entityRef, credentials) {
              // Read as the caller: an entity they cannot see adds nothing.
              const entity = await catalog
                .getEntityByRef(parseEntityRef(entityRef), { credentials })
                .catch(() => undefined);
              return parseEvidenceAnnotation(
                entity?.metadata.annotations?.[EVIDENCE_ANNOTATION],
              );
            },
          }),
        );
        logger.info(
          `Evidence ready; roots: ${
            settings.roots.map(r => `${r.name}=${r.path}`).join(', ') || 'none'
          }; uploads ${
            storage
              ? `to ${storage.description}`
              : 'off (no evidence.dataDir or evidence.storage)'
          }`,
        );
      },
    });
  },
});
