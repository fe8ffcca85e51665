import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogModule } from './modules/catalog';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { searchModule } from './modules/search';
import { signInModule } from './modules/signIn';
import { techdocsModule } from './modules/techdocs';
import { themeModule } from './modules/theme';

export default createApp({
  features: [
    catalogPlugin,
    catalogModule,
    navModule,
    homeModule,
    searchModule,
    signInModule,
    techdocsModule,
    themeModule,
  ],
});
