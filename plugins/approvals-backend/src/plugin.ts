import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { applyMigrations } from './database/migrations';
import { createRouter } from './router';
import { GateService } from './service/GateService';
import { ProposalService } from './service/ProposalService';
import { GroupRoleResolver } from './service/roles';
import { readApprovalsRules } from './service/rules';
import {
  InMemoryKeyRegistry,
  OpenPgpSignatureVerifier,
} from './service/signatures';

/** The approvals backend plugin: proposals, decisions, audit log and gate. */
export const approvalsPlugin = createBackendPlugin({
  pluginId: 'approvals',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({
        database,
        httpRouter,
        httpAuth,
        permissions,
        logger,
        config,
        userInfo,
      }) {
        const db = await database.getClient();
        await applyMigrations(db, database);
        const rules = readApprovalsRules(config);
        const keys = new InMemoryKeyRegistry();
        for (const entry of config.getOptionalConfigArray(
          'approvals.signingKeys',
        ) ?? []) {
          keys.register(entry.getString('user'), entry.getString('publicKey'));
        }
        const proposals = new ProposalService({
          db,
          rules,
          signatures: new OpenPgpSignatureVerifier(keys),
        });
        const operatorGroups = (
          config.getOptionalStringArray('approvals.operatorGroups') ?? []
        ).map(g => g.toLocaleLowerCase('en-US'));
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            roles: new GroupRoleResolver(userInfo, operatorGroups),
            proposals,
            gate: new GateService(proposals),
          }),
        );
        logger.info(
          `Approvals ready; operator groups: ${
            operatorGroups.join(', ') || 'none configured'
          }`,
        );
      },
    });
  },
});
