import type { RootLifecycleService } from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { jsonBodyGuard } from '@internal/plugin-fabric-node';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import eventsBackend from '@backstage/plugin-events-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleFabricOidc, {
  authModuleFabricRedirectGuard,
} from '@internal/plugin-auth-backend-module-fabric-oidc';
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
import techdocsBackendModuleFabric from '@internal/plugin-techdocs-backend-module-fabric';
import permissionBackend from '@backstage/plugin-permission-backend';
import permissionBackendModuleFabricPolicy from '@internal/plugin-permission-backend-module-fabric';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import searchBackendModuleTechdocs from '@backstage/plugin-search-backend-module-techdocs';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import approvalsBackend from '@internal/plugin-approvals-backend';
import evidenceBackend from '@internal/plugin-evidence-backend';
import driftBackend from '@internal/plugin-drift-backend';
import fabricOpsBackend from '@internal/plugin-fabric-ops-backend';
import fabricQueryBackend from '@internal/plugin-fabric-query-backend';
import signingKeysBackend, {
  signingKeysServiceFactory,
} from '@internal/plugin-signing-keys-backend';
import { TECHDOCS_STATIC_MOUNT, techdocsPathGuard } from './techdocsPathGuard';

/**
 * The most bytes of JSON any route takes: the drift Terraform route's 50 MB. Each route keeps
 * its own lower limit; this one is the ceiling above which nothing is even buffered.
 */
const MAX_JSON_BODY_BYTES = 50 * 1024 * 1024;
import { drainingSchedulerServiceFactory } from './drainingScheduler';
import { startupLockedDatabaseServiceFactory } from './startupLock';
import { pluginTokenShortcutServiceFactory } from './pluginTokenShortcut';
import { installRequestDrain } from './requestDrain';
import { compressionExceptPluginCalls } from './pluginCallCompression';
import { createRequestLog } from './requestLog';
import { searchModuleRankedEngine } from './search/rankedSearchModule';

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
  // Every API's JSON passes one guard before any plugin's parser (ours, catalog, scaffolder,
  // auth): nesting and non-finite numbers are refused with a 400 there, see jsonBodyGuard.
  // CORS runs first too, so a browser can read the refusal.
  backend.add(
    rootHttpRouterServiceFactory({
      configure: ({
        app,
        middleware,
        applyDefaults,
        lifecycle,
        config,
        logger,
      }) => {
        // Shutdown lets requests in flight finish before the plugins stop (requestDrain.ts).
        installRequestDrain({
          app,
          lifecycle: lifecycle as RootLifecycleService,
          config,
          logger,
        });
        app.use(
          '/api',
          middleware.cors(),
          jsonBodyGuard({ maxBytes: MAX_JSON_BODY_BYTES }),
        );
        // TechDocs static paths with encoded separators reach another entity's site past its
        // permission check (see techdocsPathGuard.ts).
        app.use(TECHDOCS_STATIC_MOUNT, techdocsPathGuard);
        // The defaults, with our request log in upstream's place: the same line per request,
        // but CI's gate polls and health probes that succeed are counted (requestLog.ts).
        const requestLog = createRequestLog(logger);
        (lifecycle as RootLifecycleService).addShutdownHook(() =>
          requestLog.close(),
        );
        middleware.logging = () => requestLog.middleware;
        // Upstream's compression, except for calls from one plugin to another (loopback).
        middleware.compression = compressionExceptPluginCalls;
        applyDefaults();
      },
    }),
  );
  if (options.argv) {
    backend.add(rootConfigServiceFactory({ argv: options.argv, watch: false }));
  }
  // The default scheduler, except that shutdown waits for task runs in progress.
  backend.add(drainingSchedulerServiceFactory);
  // The default database service, except that replicas starting at once migrate one by one.
  backend.add(startupLockedDatabaseServiceFactory);
  // Upstream's plugin-token handler, except that a token with no dot skips its JWT decoding.
  backend.add(pluginTokenShortcutServiceFactory);

  backend.add(appBackend);
  backend.add(proxyBackend);
  backend.add(eventsBackend);

  // Auth: sign-in through OpenID Connect (auth.providers.oidc), with issuer discovery retried
  // after a failure (see the module's README). Locally the issuer is the development identity
  // provider. It is required here rather than imported at the top so the production profile
  // never even loads its code (a dynamic import() would not run under jest).
  backend.add(authBackend);
  backend.add(authBackendModuleFabricOidc);
  // Every provider's ?redirectUrl= must stay on app.baseUrl's origin (no open redirect).
  backend.add(authModuleFabricRedirectGuard);
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
  // Local builds read a scratch copy of the docs folder: a sync never rewrites techdocs/.
  backend.add(techdocsBackendModuleFabric);

  backend.add(permissionBackend);
  // Roles from catalog groups (permission.fabric), tenant isolation for everyone else.
  backend.add(permissionBackendModuleFabricPolicy);

  backend.add(searchBackend);
  // PostgreSQL or Lunr, ranked: entities above runbook sections, a runbook's sections together.
  backend.add(searchModuleRankedEngine);
  backend.add(searchBackendModuleCatalog);
  backend.add(searchBackendModuleTechdocs);

  backend.add(userSettingsBackend);
  backend.add(notificationsBackend);
  backend.add(signalsBackend);

  // Fabric capabilities.
  // The one signing-key registry (approvals and evidence call it in-process) and its API.
  backend.add(signingKeysServiceFactory);
  backend.add(signingKeysBackend);
  backend.add(approvalsBackend);
  backend.add(evidenceBackend);
  backend.add(driftBackend);
  // Operations views (read-only): failure-domain impact.
  backend.add(fabricOpsBackend);
  // Domain queries for CI and pages, from a read model of the catalog (README, "CI access").
  backend.add(fabricQueryBackend);

  return backend;
}
