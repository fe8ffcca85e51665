import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import { EVIDENCE_ANNOTATION } from '@internal/plugin-evidence-common';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import { evidenceApiRef } from './api/EvidenceApi';
import { EvidenceClient } from './api/EvidenceClient';
import { packetRouteRef, rootRouteRef } from './routes';

const evidenceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: evidenceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EvidenceClient({ discoveryApi, fetchApi }),
    }),
});

// The page draws its own header; title and icon still make the sidebar entry.
const evidencePage = PageBlueprint.make({
  params: {
    path: '/evidence',
    title: 'Evidence',
    icon: <VerifiedUserIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/EvidencePage').then(m => <m.EvidencePage />),
  },
});

/** Tenants always have evidence (by subject); other entities when annotated with their areas. */
export function hasEvidence(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'tenant' ||
    Boolean(entity.metadata.annotations?.[EVIDENCE_ANNOTATION])
  );
}

const entityEvidenceContent = EntityContentBlueprint.make({
  name: 'evidence',
  params: {
    path: 'evidence',
    title: 'Evidence',
    filter: hasEvidence,
    loader: () =>
      import('./components/EntityEvidenceContent').then(m => (
        <m.EntityEvidenceContent />
      )),
  },
});

/** Evidence: the Evidence page and the Evidence tab of tenants and annotated entities. */
export const evidencePlugin = createFrontendPlugin({
  pluginId: 'evidence',
  extensions: [evidenceApi, evidencePage, entityEvidenceContent],
  routes: {
    root: rootRouteRef,
    packet: packetRouteRef,
  },
});
