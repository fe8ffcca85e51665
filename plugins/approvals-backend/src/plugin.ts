import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { approvalsPermissions } from '@internal/plugin-approvals-common';
import { applyMigrations } from './database/migrations';
import { TenantScopedAccess } from '@internal/plugin-fabric-node';
import { proposalPermissionRules } from './permissions';
import { createRouter } from './router';
import { CatalogLookup } from './service/catalogChecks';
import { GateService } from './service/GateService';
import { BackstageProposalNotifier } from './service/notifier';
import { ProposalService } from './service/ProposalService';
import { GroupRoleResolver, readReviewerGroups } from './service/roles';
import { readApprovalsRules } from './service/rules';
import {
  InMemoryKeyRegistry,
  OpenPgpSignatureVerifier,
} from './service/signatures';
import { SigningKeyService } from './service/signingKeys';

/** The approvals backend plugin: proposals, decisions, audit log and gate. */
export const approvalsPlugin = createBackendPlugin({
  pluginId: 'approvals',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
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
        scheduler,
        userInfo,
      }) {
        const db = await database.getClient();
        await applyMigrations(db, database);
        const rules = readApprovalsRules(config);
        const configuredKeys = new InMemoryKeyRegistry();
        for (const entry of config.getOptionalConfigArray(
          'approvals.signingKeys',
        ) ?? []) {
          configuredKeys.register(
            entry.getString('user'),
            entry.getString('publicKey'),
          );
        }
        const signingKeys = new SigningKeyService(db, configuredKeys);
        const catalogLookup: CatalogLookup = {
          async getEntity(ref) {
            return catalog.getEntityByRef(ref, {
              credentials: await auth.getOwnServiceCredentials(),
            });
          },
        };
        const reviewerGroups = readReviewerGroups(config);
        const proposals = new ProposalService({
          db,
          rules,
          signatures: new OpenPgpSignatureVerifier(signingKeys),
          catalog: catalogLookup,
          notifier: new BackstageProposalNotifier(
            notifications,
            reviewerGroups,
            logger,
          ),
        });

        permissionsRegistry.addResourceType({
          resourceRef: proposalPermissionRules.resourceRef,
          permissions: approvalsPermissions,
          rules: proposalPermissionRules.rules,
          getResources: async ids =>
            Promise.all(ids.map(id => proposals.proposals.find(id))),
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

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            access: new TenantScopedAccess(
              permissions,
              proposalPermissionRules.rules,
              'proposal',
            ),
            roles: new GroupRoleResolver(userInfo, reviewerGroups),
            proposals,
            gate: new GateService(proposals),
            signingKeys,
          }),
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
