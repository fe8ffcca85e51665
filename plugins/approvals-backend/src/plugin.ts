import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  approvalsPermissions,
  approvalsProposalReadPermission,
} from '@internal/plugin-approvals-common';
import { approvalsServiceRegistryRef } from '@internal/plugin-approvals-node';
import { applyMigrations } from './database/migrations';
import {
  fabricPluginCoreDeps,
  fabricRolesServiceRef,
  importLegacySigningKeys,
  migratedDatabase,
  registerTenantResource,
  signingKeysServiceRef,
} from '@internal/plugin-fabric-node';
import { driftServiceRef } from '@internal/plugin-drift-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { driftReaderOf, packetResolverOf } from './service/evidenceAdapters';
import { LegacySigningKeyTable } from './database/LegacySigningKeyTable';
import { proposalPermissionRules } from './permissions';
import { createRouter } from './router';
import { CatalogLookup } from './service/catalogChecks';
import { CheckedApprovals } from './service/CheckedApprovals';
import { GateService } from './service/GateService';
import { BackstageProposalNotifier } from './service/notifier';
import { ProposalService } from './service/ProposalService';
import { GroupRoleResolver } from './service/roles';
import { readApprovalsRules } from './service/rules';
import { OpenPgpSignatureVerifier, registryKeys } from './service/signatures';

/** The approvals backend plugin: proposals, decisions, audit log and gate. */
export const approvalsPlugin = createBackendPlugin({
  pluginId: 'approvals',
  register(env) {
    env.registerInit({
      deps: {
        ...fabricPluginCoreDeps,
        catalog: catalogServiceRef,
        notifications: notificationService,
        permissionsRegistry: coreServices.permissionsRegistry,
        registry: approvalsServiceRegistryRef,
        roles: fabricRolesServiceRef,
        signingKeys: signingKeysServiceRef,
        userInfo: coreServices.userInfo,
        evidence: evidenceServiceRef,
        drift: driftServiceRef,
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
        roles,
        scheduler,
        signingKeys,
        userInfo,
        evidence,
        drift,
      }) {
        const db = await migratedDatabase(database, applyMigrations);
        const rules = readApprovalsRules(config);
        await importLegacySigningKeys({
          source: 'approvals',
          rows: await new LegacySigningKeyTable(db).all(),
          signingKeys,
          logger,
        });
        const catalogLookup: CatalogLookup = {
          async getEntity(ref) {
            return catalog.getEntityByRef(ref, {
              credentials: await auth.getOwnServiceCredentials(),
            });
          },
        };
        // Who reviews is the permission policy's configuration, read by its roles service.
        const reviewerGroups = roles.reviewerGroups();
        const proposals = new ProposalService({
          db,
          rules,
          signatures: new OpenPgpSignatureVerifier(registryKeys(signingKeys)),
          catalog: catalogLookup,
          notifier: new BackstageProposalNotifier(
            notifications,
            reviewerGroups,
            logger,
          ),
          // The evidence and drift plugins' in-process APIs; never their HTTP endpoints.
          packets: packetResolverOf(evidence),
          drift: driftReaderOf(drift),
        });

        const access = registerTenantResource({
          permissions,
          permissionsRegistry,
          rules: proposalPermissionRules,
          resourcePermissions: approvalsPermissions,
          readPermission: approvalsProposalReadPermission,
          noun: 'proposal',
          find: id => proposals.proposals.find(id),
        });

        await scheduler.scheduleTask({
          id: 'approvals-expire-due',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            const expired = await proposals.expireDue();
            if (expired.length > 0) {
              logger.info(`Expired proposals: ${expired.join(', ')}`);
            }
          },
        });

        await scheduler.scheduleTask({
          id: 'approvals-verify-overdue',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            const overdue = await proposals.flagOverdueVerifies();
            if (overdue.length > 0) {
              logger.warn(
                `Verify overdue for proposals: ${overdue.join(', ')}`,
              );
            }
          },
        });

        const api = new CheckedApprovals({
          access,
          roles: new GroupRoleResolver(
            auth,
            userInfo,
            reviewerGroups,
            roles.governanceGroups(),
          ),
          service: proposals,
          gate: new GateService(proposals),
        });
        // Other plugins (scaffolder, catalog) call the same checked API in-process.
        registry.register(api);
        httpRouter.use(
          await createRouter({ logger, httpAuth, access, proposals, api }),
        );
        logger.info(
          `Approvals ready; reviewer groups: ${
            reviewerGroups.join(', ') || 'none configured'
          }`,
        );
      },
    });
  },
});
