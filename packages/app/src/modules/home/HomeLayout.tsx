import { Fragment, useMemo } from 'react';
import { Content } from '@backstage/core-components';
import { CustomHomepageGrid } from '@backstage/plugin-home';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import Typography from '@mui/material/Typography';

/**
 * The home page's layout: the stock grid of widgets (plugin-home's default layout, with the
 * app-config's `defaultConfig`), inside the page's one `<main>` landmark and under its one h1.
 * The stock default layout renders neither, and the home page has no page header that would.
 */
export function HomeLayout({ widgets, defaultConfig }: HomePageLayoutProps) {
  const config = useMemo(
    () =>
      defaultConfig?.map(item => ({
        component: item.component,
        x: item.column,
        y: item.row,
        width: item.width,
        height: item.height,
        movable: item.movable,
        deletable: item.deletable,
        resizable: item.resizable,
      })),
    [defaultConfig],
  );
  return (
    <main aria-labelledby="home-title">
      <Content>
        <Typography id="home-title" variant="h4" component="h1">
          Home
        </Typography>
        <CustomHomepageGrid config={config}>
          {widgets.map((widget, index) => (
            <Fragment key={widget.name ?? index}>{widget.component}</Fragment>
          ))}
        </CustomHomepageGrid>
      </Content>
    </main>
  );
}
