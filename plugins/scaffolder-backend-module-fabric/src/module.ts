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
  createProposalSubmitAction,
  createPublishLocalAction,
  createSiteRenderAction,
  createTenantDiffAction,
  createTenantRenderAction,
  createZakonRenderAction,
} from './actions';
import { ApprovalsClient } from './lib/approvalsClient';
import { LocalRepositories } from './lib/localRepos';

/**
 * The fabric:* scaffolder actions behind the templates in templates/: render
 * tenants, sites, ZAKON rules and docs from the domain schemas, submit
 * proposals as the signed-in user, and publish into local git repositories
 * registered in the catalog.
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
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, auth, discovery, logger, catalog }) {
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
          createTenantDiffAction({ catalog }),
          createTenantRenderAction({ catalog, config, localRepos }),
          createSiteRenderAction({ catalog, localRepos }),
          createZakonRenderAction({ catalog, config, localRepos }),
          createDocsRenderAction({ catalog, localRepos }),
          createProposalSubmitAction({
            approvals: new ApprovalsClient({ auth, discovery }),
            appBaseUrl,
          }),
          createPublishLocalAction({ localRepos }),
          createCatalogRegisterAction({ catalog, auth, localRepos, timeoutMs }),
        );
      },
    });
  },
});
