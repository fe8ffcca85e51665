import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { TechDocsAddonLocations } from '@backstage/plugin-techdocs-react';
import { AddonBlueprint } from '@backstage/plugin-techdocs-react/alpha';
import { RunbookKeyboardAccess } from './RunbookKeyboardAccess';

const keyboardAccess = AddonBlueprint.make({
  name: 'keyboard-access',
  params: {
    name: 'RunbookKeyboardAccess',
    location: TechDocsAddonLocations.Content,
    component: RunbookKeyboardAccess,
  },
});

/** The portal's TechDocs addons (every runbook and the portal's own documentation). */
export const techdocsModule = createFrontendModule({
  pluginId: 'techdocs',
  extensions: [keyboardAccess],
});
