import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import CompareArrowsIcon from '@mui/icons-material/CompareArrows';
import { driftApiRef } from './api/DriftApi';
import { DriftClient } from './api/DriftClient';
import { rootRouteRef } from './routes';

const driftApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: driftApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DriftClient({ discoveryApi, fetchApi }),
    }),
});

// The page draws its own header (its subtitle depends on who reads it); title and icon still
// make the sidebar entry.
const driftOverviewPage = PageBlueprint.make({
  params: {
    path: '/drift',
    title: 'Drift',
    icon: <CompareArrowsIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/DriftOverviewPage').then(m => (
        <m.DriftOverviewPage />
      )),
  },
});

/** Tenants, planes and services (components of type service) have a Drift tab. */
export function hasDriftTab(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return (
    kind === 'tenant' ||
    kind === 'plane' ||
    (kind === 'component' && entity.spec?.type === 'service')
  );
}

const entityDriftContent = EntityContentBlueprint.make({
  name: 'drift',
  params: {
    path: 'drift',
    title: 'Drift',
    filter: hasDriftTab,
    loader: () =>
      import('./components/EntityDriftContent').then(m => (
        <m.EntityDriftContent />
      )),
  },
});

/** Drift signals: the Drift overview page and the Drift tab of tenants, services and planes. */
export const driftPlugin = createFrontendPlugin({
  pluginId: 'drift',
  extensions: [driftApi, driftOverviewPage, entityDriftContent],
  routes: { root: rootRouteRef },
});
