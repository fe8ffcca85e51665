import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import searchPlugin from '@backstage/plugin-search/alpha';

/** Replaces the stock search page (same extension id) with the ranked, grouped one. */
const searchPage = PageBlueprint.make({
  params: {
    path: '/search',
    // The plugin's own route: the home search bar and the sidebar modal navigate through it.
    routeRef: searchPlugin.routes.root,
    title: 'Search',
    loader: () =>
      import('./FabricSearchPage').then(m => <m.FabricSearchPage />),
  },
});

export const searchModule = createFrontendModule({
  pluginId: 'search',
  extensions: [searchPage],
});
