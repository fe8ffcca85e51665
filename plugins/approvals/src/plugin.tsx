import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import AssignmentTurnedInIcon from '@mui/icons-material/AssignmentTurnedIn';
import {
  SigningKeysClient,
  signingKeysApiRef,
} from '@internal/plugin-fabric-react';
import { approvalsApiRef } from './api/ApprovalsApi';
import { ApprovalsClient } from './api/ApprovalsClient';
import { proposalRouteRef, rootRouteRef } from './routes';

const approvalsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: approvalsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ApprovalsClient({ discoveryApi, fetchApi }),
    }),
});

// The one signing-key registry's client: the Approvals page hosts the Signing key panel.
const signingKeysApi = ApiBlueprint.make({
  name: 'signing-keys',
  params: defineParams =>
    defineParams({
      api: signingKeysApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SigningKeysClient({ discoveryApi, fetchApi }),
    }),
});

// The page draws its own header (title, proposal state), so the layout's is switched off.
// Title and icon still make the sidebar entry.
const approvalsPage = PageBlueprint.make({
  params: {
    path: '/approvals',
    title: 'Approvals',
    icon: <AssignmentTurnedInIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ApprovalsPage').then(m => <m.ApprovalsPage />),
  },
});

const tenantProposalsContent = EntityContentBlueprint.make({
  name: 'tenant-proposals',
  params: {
    path: 'proposals',
    title: 'Proposals',
    filter: (e: Entity) => e.kind.toLowerCase() === 'tenant',
    loader: () =>
      import('./components/EntityProposalsContent').then(m => (
        <m.EntityProposalsContent />
      )),
  },
});

/** Approvals: the review queue, the proposal view and the Proposals tab of tenants. */
export const approvalsPlugin = createFrontendPlugin({
  pluginId: 'approvals',
  extensions: [
    approvalsApi,
    signingKeysApi,
    approvalsPage,
    tenantProposalsContent,
  ],
  routes: {
    root: rootRouteRef,
    proposal: proposalRouteRef,
  },
});
