import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { FabricEntitiesProcessor } from './processor/FabricEntitiesProcessor';

/**
 * Teaches the catalog the Fabric entity model: validation of Plane, Tenant,
 * ZakonRule and fabric Components, the ZAKON approval gate, and relations.
 */
export const catalogModuleFabric = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'fabric',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new FabricEntitiesProcessor());
      },
    });
  },
});
