import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createCatalogRegisterAction,
  createDocsRenderAction,
  createGuardedRunAction,
  createProposalSubmitAction,
  createPermissionCheckAction,
  createPublishLocalAction,
  createSiteRenderAction,
  createTenantDiffAction,
  createTenantRenderAction,
  createZakonRenderAction,
} from './actions';
import { approvalsServiceRef } from '@internal/plugin-approvals-node';
import { driftServiceRef } from '@internal/plugin-drift-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { CitationChecker } from './lib/citations';
import { readGuardedActionSettings } from './guarded/settings';
import { userProposalSubmitter } from './lib/proposalSubmitter';
import { LocalRepositories } from './lib/localRepos';

/**
 * The fabric:* scaffolder actions behind the templates in templates/: render
 * tenants, sites, ZAKON rules and docs from the domain schemas, submit
 * proposals as the signed-in user, and publish into local git repositories
 * registered in the catalog; run guarded operations (site rollback,
 * phantom-domain removal) under an approved proposal, with an evidence packet.
 */
export const scaffolderModuleFabric = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'fabric',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        approvals: approvalsServiceRef,
        evidence: evidenceServiceRef,
        drift: driftServiceRef,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        auth,
        permissions,
        approvals,
        evidence,
        drift,
        logger,
        catalog,
      }) {
        const local = config.getOptionalConfig(
          'fabric.scaffolder.localPublish',
        );
        const localRepos = local
          ? await LocalRepositories.create(local.getString('dir'))
          : undefined;
        if (localRepos) {
          logger.info(`Local publishing into ${localRepos.root}`);
        }
        const timeoutMs = local?.has('registrationTimeout')
          ? durationToMilliseconds(
              readDurationFromConfig(local, { key: 'registrationTimeout' }),
            )
          : 30_000;
        const appBaseUrl = config.getString('app.baseUrl').replace(/\/+$/, '');

        scaffolder.addActions(
          createPermissionCheckAction({ auth, permissions }),
          createTenantDiffAction({ catalog }),
          createTenantRenderAction({
            catalog,
            rules: approvals.rules,
            localRepos,
          }),
          createSiteRenderAction({ catalog, localRepos }),
          createZakonRenderAction({
            catalog,
            rules: approvals.rules,
            localRepos,
          }),
          createDocsRenderAction({ catalog, localRepos }),
          createProposalSubmitAction({
            approvals: userProposalSubmitter({
              auth,
              proposals: approvals.proposals,
            }),
            appBaseUrl,
            citations: new CitationChecker({ evidence, drift, appBaseUrl }),
          }),
          createPublishLocalAction({ localRepos }),
          createCatalogRegisterAction({ catalog, auth, localRepos, timeoutMs }),
          createGuardedRunAction({
            auth,
            proposals: approvals.proposals,
            evidence: evidence.packets,
            settings: readGuardedActionSettings(config),
            appBaseUrl,
          }),
        );
      },
    });
  },
});
