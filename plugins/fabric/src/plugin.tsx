import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import GavelIcon from '@mui/icons-material/Gavel';
import WarningIcon from '@mui/icons-material/Warning';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import {
  alaiHostingRouteRef,
  impactRouteRef,
  missionControlLeasesRouteRef,
  spofRouteRef,
  zakonRegistryRouteRef,
} from './routes';

const isKind = (kind: string) => (e: Entity) =>
  e.kind.toLowerCase() === kind.toLowerCase();
const isComponentOfType = (type: string) => (e: Entity) =>
  e.kind.toLowerCase() === 'component' &&
  e.spec?.type === type &&
  typeof (e.spec as any)?.fabric === 'object';

const planeOverviewCard = EntityCardBlueprint.make({
  name: 'plane-overview',
  params: {
    filter: isKind('Plane'),
    type: 'content',
    loader: () =>
      import('./components/PlaneCards').then(m => <m.PlaneOverviewCard />),
  },
});

const planeServicesCard = EntityCardBlueprint.make({
  name: 'plane-services',
  params: {
    filter: isKind('Plane'),
    type: 'content',
    loader: () =>
      import('./components/PlaneCards').then(m => <m.PlaneServicesCard />),
  },
});

const environmentLadderCard = EntityCardBlueprint.make({
  name: 'environment-ladder',
  params: {
    filter: (e: Entity) =>
      isKind('Resource')(e) &&
      e.spec?.type === 'environment' &&
      typeof e.spec?.ladder === 'string',
    type: 'content',
    loader: () =>
      import('./components/EnvironmentCards').then(m => (
        <m.EnvironmentLadderCard />
      )),
  },
});

const serviceFabricCard = EntityCardBlueprint.make({
  name: 'service-fabric',
  params: {
    filter: isComponentOfType('service'),
    type: 'content',
    loader: () =>
      import('./components/ServiceCards').then(m => <m.ServiceFabricCard />),
  },
});

const websiteFabricCard = EntityCardBlueprint.make({
  name: 'website-fabric',
  params: {
    filter: isComponentOfType('website'),
    type: 'content',
    loader: () =>
      import('./components/ServiceCards').then(m => <m.WebsiteFabricCard />),
  },
});

// Who consumes a plane, service or Samakia substrate executor: the tenants that depend on it,
// permission-filtered by the catalog (operators see all, a tenant member only their own tenant).
const consumersCard = EntityCardBlueprint.make({
  name: 'consumers',
  params: {
    filter: (e: Entity) =>
      isKind('Plane')(e) ||
      isComponentOfType('service')(e) ||
      // Executors carry no spec.fabric block: their type alone names them.
      (e.kind.toLowerCase() === 'component' &&
        e.spec?.type === 'substrate-executor'),
    type: 'content',
    loader: () =>
      import('./components/ConsumersCard').then(m => <m.ConsumersCard />),
  },
});

const tenantConsumersCard = EntityCardBlueprint.make({
  name: 'tenant-consumers',
  params: {
    filter: isKind('Tenant'),
    type: 'content',
    loader: () =>
      import('./components/TenantCards').then(m => <m.TenantConsumersCard />),
  },
});

const tenantQuotasCard = EntityCardBlueprint.make({
  name: 'tenant-quotas',
  params: {
    filter: isKind('Tenant'),
    type: 'content',
    loader: () =>
      import('./components/TenantCards').then(m => <m.TenantQuotasCard />),
  },
});

const tenantBindingsCard = EntityCardBlueprint.make({
  name: 'tenant-bindings',
  params: {
    filter: isKind('Tenant'),
    type: 'content',
    loader: () =>
      import('./components/TenantCards').then(m => <m.TenantBindingsCard />),
  },
});

const zakonRuleCard = EntityCardBlueprint.make({
  name: 'zakon-rule',
  params: {
    filter: isKind('ZakonRule'),
    type: 'content',
    loader: () =>
      import('./components/ZakonRuleCard').then(m => <m.ZakonRuleCard />),
  },
});

const runbooksCard = EntityCardBlueprint.make({
  name: 'runbooks',
  params: {
    filter: (e: Entity) =>
      ['plane', 'tenant', 'component'].includes(e.kind.toLowerCase()),
    type: 'info',
    loader: () =>
      import('./components/RunbooksCard').then(m => <m.RunbooksCard />),
  },
});

const zakonRegistryPage = PageBlueprint.make({
  params: {
    path: '/zakon',
    title: 'ZAKON registry',
    icon: <GavelIcon />,
    routeRef: zakonRegistryRouteRef,
    loader: () =>
      import('./components/ZakonRegistryPage').then(m => (
        <m.ZakonRegistryPage />
      )),
  },
});

// Operations views (fabric-ops backend): failure-domain impact.
const planeImpactCard = EntityCardBlueprint.make({
  name: 'plane-impact',
  params: {
    filter: (e: Entity) =>
      isKind('Plane')(e) &&
      Array.isArray((e.spec as any)?.failureDomains) &&
      (e.spec as any).failureDomains.length > 1,
    type: 'content',
    loader: () =>
      import('./operations/PlaneImpactCard').then(m => <m.PlaneImpactCard />),
  },
});

const healthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    filter: (e: Entity) =>
      (isKind('Plane')(e) || isComponentOfType('service')(e)) &&
      Boolean(e.metadata.annotations?.['fabric.samakia.io/acceptance-targets']),
    type: 'content',
    loader: () => import('./operations/HealthCard').then(m => <m.HealthCard />),
  },
});

const dataProtectionCard = EntityCardBlueprint.make({
  name: 'data-protection',
  params: {
    filter: (e: Entity) =>
      ['fabric.samakia.io/storage-class', 'fabric.samakia.io/rpo'].some(key =>
        Boolean(e.metadata.annotations?.[key]),
      ),
    type: 'content',
    loader: () =>
      import('./operations/DataProtectionCard').then(m => (
        <m.DataProtectionCard />
      )),
  },
});

const impactPage = PageBlueprint.make({
  name: 'impact',
  params: {
    path: '/operations/impact',
    title: 'Failure impact',
    icon: <WarningIcon />,
    routeRef: impactRouteRef,
    loader: () => import('./operations/ImpactPage').then(m => <m.ImpactPage />),
  },
});

const spofPage = PageBlueprint.make({
  name: 'spof',
  params: {
    path: '/operations/spof',
    title: 'SPOF inventory',
    icon: <ReportProblemIcon />,
    routeRef: spofRouteRef,
    loader: () =>
      import('./operations/SpofInventoryPage').then(m => (
        <m.SpofInventoryPage />
      )),
  },
});

const alaiHostingPage = PageBlueprint.make({
  name: 'alai-hosting',
  params: {
    path: '/operations/alai',
    title: 'ALAI hosting',
    icon: <ReportProblemIcon />,
    routeRef: alaiHostingRouteRef,
    loader: () =>
      import('./operations/AlaiHostingPage').then(m => <m.AlaiHostingPage />),
  },
});

const missionControlLeasesPage = PageBlueprint.make({
  name: 'mission-control-leases',
  params: {
    path: '/operations/mission-control/leases',
    title: 'MC claim leases',
    icon: <ReportProblemIcon />,
    routeRef: missionControlLeasesRouteRef,
    loader: () =>
      import('./operations/MissionControlLeasesPage').then(m => (
        <m.MissionControlLeasesPage />
      )),
  },
});

const zakonStatusFilter = CatalogFilterBlueprint.make({
  name: 'zakon-status',
  params: {
    loader: async () => {
      const { SpecFieldPicker } = await import('./components/SpecFieldPicker');
      return (
        <SpecFieldPicker
          kind="ZakonRule"
          field="spec.status"
          label="ZAKON status"
        />
      );
    },
  },
});

const planeEnvironmentFilter = CatalogFilterBlueprint.make({
  name: 'plane-environment',
  params: {
    loader: async () => {
      const { SpecFieldPicker } = await import('./components/SpecFieldPicker');
      return (
        <SpecFieldPicker
          kind="Plane"
          field="spec.environment"
          label="Environment"
        />
      );
    },
  },
});

const tenantProviderFilter = CatalogFilterBlueprint.make({
  name: 'tenant-provider',
  params: {
    loader: async () => {
      const { SpecFieldPicker } = await import('./components/SpecFieldPicker');
      return (
        <SpecFieldPicker
          kind="Tenant"
          field="spec.consumers.provider"
          label="Consumer provider"
        />
      );
    },
  },
});

/** Fabric Portal's domain views: entity cards for our kinds and the ZAKON registry. */
export const fabricPlugin = createFrontendPlugin({
  pluginId: 'fabric',
  extensions: [
    planeOverviewCard,
    planeServicesCard,
    environmentLadderCard,
    consumersCard,
    serviceFabricCard,
    websiteFabricCard,
    tenantConsumersCard,
    tenantQuotasCard,
    tenantBindingsCard,
    zakonRuleCard,
    runbooksCard,
    zakonRegistryPage,
    planeImpactCard,
    healthCard,
    dataProtectionCard,
    impactPage,
    spofPage,
    alaiHostingPage,
    missionControlLeasesPage,
    zakonStatusFilter,
    planeEnvironmentFilter,
    tenantProviderFilter,
  ],
  routes: {
    zakonRegistry: zakonRegistryRouteRef,
    impact: impactRouteRef,
    spof: spofRouteRef,
    alaiHosting: alaiHostingRouteRef,
    missionControlLeases: missionControlLeasesRouteRef,
  },
});
