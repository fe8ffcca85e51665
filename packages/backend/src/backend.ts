import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import eventsBackend from '@backstage/plugin-events-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleFabricOidc from '@internal/plugin-auth-backend-module-fabric-oidc';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogBackendModuleFabric from '@internal/plugin-catalog-backend-module-fabric';
import catalogBackendModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import scaffolderBackendModuleFabric from '@internal/plugin-scaffolder-backend-module-fabric';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import permissionBackendModuleFabricPolicy from '@internal/plugin-permission-backend-module-fabric';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModulePg from '@backstage/plugin-search-backend-module-pg';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchBackendModuleTechdocs from '@backstage/plugin-search-backend-module-techdocs';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import approvalsBackend from '@internal/plugin-approvals-backend';
import evidenceBackend from '@internal/plugin-evidence-backend';
import driftBackend from '@internal/plugin-drift-backend';
import { drainingSchedulerServiceFactory } from './drainingScheduler';
import { startupLockedDatabaseServiceFactory } from './startupLock';
import { requestDrainingRootHttpRouterServiceFactory } from './requestDrain';

export interface FabricBackendOptions {
  /** Process arguments to read `--config` from instead of `process.argv` (tests). */
  argv?: string[];
}

/**
 * The Fabric Portal backend: composition only. Each capability lives in its own plugin family
 * under plugins/; this function decides which plugins and modules run.
 */
export function createFabricBackend(options: FabricBackendOptions = {}) {
  const backend = createBackend();
  if (options.argv) {
    backend.add(rootConfigServiceFactory({ argv: options.argv, watch: false }));
  }
  // The default scheduler, except that shutdown waits for task runs in progress.
  backend.add(drainingSchedulerServiceFactory);
  // The default database service, except that replicas starting at once migrate one by one.
  backend.add(startupLockedDatabaseServiceFactory);
  // The default root router, except that shutdown lets requests in flight finish first.
  backend.add(requestDrainingRootHttpRouterServiceFactory);

  backend.add(appBackend);
  backend.add(proxyBackend);
  backend.add(eventsBackend);

  // Auth: sign-in through OpenID Connect (auth.providers.oidc), with issuer discovery retried
  // after a failure (see the module's README). Locally the issuer is the development identity
  // provider. It is required here rather than imported at the top so the production profile
  // never even loads its code (a dynamic import() would not run under jest).
  backend.add(authBackend);
  backend.add(authBackendModuleFabricOidc);
  if (process.env.NODE_ENV !== 'production') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    backend.add(require('@internal/plugin-dev-idp-backend').default);
  }

  backend.add(catalogBackend);
  backend.add(catalogBackendModuleScaffolderEntityModel);
  backend.add(catalogBackendModuleLogs);
  backend.add(catalogBackendModuleFabric);
  // Lists entities that failed processing, e.g. ZAKON rules blocked by the approval gate.
  backend.add(catalogBackendModuleUnprocessed);

  backend.add(scaffolderBackend);
  backend.add(scaffolderBackendModuleGithub);
  backend.add(scaffolderBackendModuleNotifications);
  // fabric:* actions behind templates/: proposals as the signed-in user, local publishing.
  backend.add(scaffolderBackendModuleFabric);

  backend.add(techdocsBackend);

  backend.add(permissionBackend);
  // Roles from catalog groups (permission.fabric), tenant isolation for everyone else.
  backend.add(permissionBackendModuleFabricPolicy);

  backend.add(searchBackend);
  backend.add(searchBackendModulePg);
  backend.add(searchBackendModuleCatalog);
  backend.add(searchBackendModuleTechdocs);

  backend.add(userSettingsBackend);
  backend.add(notificationsBackend);
  backend.add(signalsBackend);

  // Fabric capabilities.
  backend.add(approvalsBackend);
  backend.add(evidenceBackend);
  backend.add(driftBackend);

  return backend;
}
