import { coreServices } from '@backstage/backend-plugin-api';

/**
 * The core services every Fabric backend plugin with an HTTP API takes, spread into its
 * `deps` so that the list is written once: `deps: { ...fabricPluginCoreDeps, catalog: ... }`.
 */
export const fabricPluginCoreDeps = {
  auth: coreServices.auth,
  config: coreServices.rootConfig,
  database: coreServices.database,
  httpAuth: coreServices.httpAuth,
  httpRouter: coreServices.httpRouter,
  logger: coreServices.logger,
  permissions: coreServices.permissions,
  scheduler: coreServices.scheduler,
} as const;
