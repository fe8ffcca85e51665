import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Approvals page (the queue). */
export const rootRouteRef = createRouteRef();

/** One proposal, below the Approvals page. */
export const proposalRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/proposals/:id',
});
