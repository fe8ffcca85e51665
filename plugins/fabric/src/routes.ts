import { createRouteRef } from '@backstage/frontend-plugin-api';

export const zakonRegistryRouteRef = createRouteRef();

export const impactRouteRef = createRouteRef();

export const spofRouteRef = createRouteRef();

export const missionControlLeasesRouteRef = createRouteRef();

export const alaiHostingRouteRef = createRouteRef();
