import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin, {
  CatalogIndexPage,
} from '@backstage/plugin-catalog/alpha';
import { fabricCatalogColumns } from './catalogColumns';

/**
 * The catalog index page (`page:catalog`) as the stock one, with the table's columns from
 * {@link fabricCatalogColumns}: the override replaces only the page's loader, so its path,
 * title, filters (CatalogFilterBlueprint inputs), pagination and export config stay the stock
 * ones. Export exporters contributed as extensions are not passed on (the app has none).
 */
const catalogIndexPage = catalogPlugin.getExtension('page:catalog').override({
  factory(originalFactory, { inputs, config }) {
    return originalFactory({
      params: {
        loader: async () => (
          <CatalogIndexPage
            filters={
              <>
                {inputs.filters.map(filter =>
                  filter.get(coreExtensionData.reactElement),
                )}
              </>
            }
            pagination={config.pagination}
            exportSettings={
              config.exportSettings?.enabled ? config.exportSettings : undefined
            }
            columns={fabricCatalogColumns}
          />
        ),
      },
    });
  },
});

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogIndexPage],
});
