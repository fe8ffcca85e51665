import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Drift overview page. */
export const rootRouteRef = createRouteRef();
