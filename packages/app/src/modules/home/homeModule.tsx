import {
  AppRootElementBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';
import { FabricVisitListener } from './FabricVisitListener';

// The landing card: what the portal holds and where to start, for operators and tenants alike.
const welcome = `
Fabric Portal is the one place for the Samakia platform: its **planes**, the **services**
running in them, the **tenants** that consume them and the **ZAKON rules** that govern changes.

- **Catalog**: browse planes, services, sites, tenants and environments in the
  [catalog](/catalog), with their network facts, owners and relations.
- **Create**: ask for a change or a new tenant, site or rule through a
  [template](/create) instead of editing YAML.
- **Runbooks**: the operating procedures live in [TechDocs](/docs), next to what they operate.
- **CI**: scripts query the catalog API with a scoped token; see the repository README.
`;

const welcomeWidget = HomePageWidgetBlueprint.make({
  name: 'welcome',
  params: {
    name: 'FabricWelcome',
    title: 'Welcome to Fabric Portal',
    description: 'What the portal holds and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={welcome} />,
    }),
  },
});

// What waits for the signed-in person, by role (operator or tenant).
const forYouWidget = HomePageWidgetBlueprint.make({
  name: 'for-you',
  params: {
    name: 'FabricForYou',
    title: 'For you',
    description: 'What waits for you: proposals, drift and evidence',
    components: () => import('./ForYou').then(m => ({ Content: m.ForYou })),
  },
});

// Who is signed in, at the top of the home page (the sidebar shows it on every page).
const signedInWidget = HomePageWidgetBlueprint.make({
  name: 'signed-in',
  params: {
    name: 'FabricSignedIn',
    title: 'Signed in',
    description: 'Who is signed in',
    components: () =>
      import('./SignedInAs').then(m => ({ Content: m.SignedInAs })),
  },
});

// The page's <main> landmark and h1 around the stock widget grid.
const homeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./HomeLayout').then(m => m.HomeLayout),
  },
});

// Replaces the stock visit listener (same id), which named deep pages "Fabric Portal".
const visitListener = AppRootElementBlueprint.make({
  name: 'visit-listener',
  params: { element: <FabricVisitListener /> },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    welcomeWidget,
    forYouWidget,
    signedInWidget,
    homeLayout,
    visitListener,
  ],
});
