import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  DirectoryPreparer,
  techdocsPreparerExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';

/**
 * Replaces the TechDocs `dir` preparer with one that builds from a scratch copy, so a local
 * build (techdocs.builder: local) never writes into the folder the docs come from.
 */
export const techdocsModuleFabric = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'fabric-copying-preparer',
  register(reg) {
    reg.registerInit({
      deps: {
        preparers: techdocsPreparerExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
      },
      async init({ preparers, config, logger, urlReader }) {
        preparers.registerPreparer(
          'dir',
          new CopyingDirectoryPreparer(
            DirectoryPreparer.fromConfig(config, { logger, reader: urlReader }),
            {
              scmIntegrations: ScmIntegrations.fromConfig(config),
              workingDirectory: config.getOptionalString(
                'backend.workingDirectory',
              ),
            },
          ),
        );
      },
    });
  },
});
