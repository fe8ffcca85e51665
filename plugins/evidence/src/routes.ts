import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Evidence page (every packet the viewer may read, with filters). */
export const rootRouteRef = createRouteRef();

/** One packet, below the Evidence page. */
export const packetRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/packets/:id',
});
