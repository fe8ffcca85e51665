import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

/** Replaces the stock search page (same extension id) with the ranked, grouped one. */
const searchPage = PageBlueprint.make({
  params: {
    path: '/search',
    title: 'Search',
    loader: () =>
      import('./FabricSearchPage').then(m => <m.FabricSearchPage />),
  },
});

export const searchModule = createFrontendModule({
  pluginId: 'search',
  extensions: [searchPage],
});
