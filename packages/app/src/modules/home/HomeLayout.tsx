import { Content } from '@backstage/core-components';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ReactElement, useMemo } from 'react';
import { homeBands } from './homeBands';

const GAP = 3;

/** Widgets one under the other, each at the height of its content. */
function Stack(props: {
  widgets: Array<{ name?: string; component: ReactElement }>;
}) {
  return (
    <Box
      display="flex"
      flexDirection="column"
      gap={GAP}
      minWidth={0}
      data-testid="home-column"
    >
      {props.widgets.map((widget, index) => (
        <Box key={widget.name ?? index} data-testid="home-card">
          {widget.component}
        </Box>
      ))}
    </Box>
  );
}

/**
 * The home page's layout, inside the page's one `<main>` landmark and under its one h1 (the
 * stock layout renders neither). The widgets are placed as the app-config's `defaultConfig`
 * says, but in columns that stack cards at the height of their content (homeBands): the stock
 * grid gave every card a fixed height in rows, which left holes beside short cards and cut or
 * scrolled long ones, and re-flowed the cards into a staircase at widths between its
 * breakpoints. Below the `md` breakpoint the columns become one.
 */
export function HomeLayout({ widgets, defaultConfig }: HomePageLayoutProps) {
  const bands = useMemo(
    () => homeBands(widgets, defaultConfig),
    [widgets, defaultConfig],
  );
  return (
    <main aria-labelledby="home-title">
      <Content>
        <Typography id="home-title" variant="h4" component="h1" mb={2}>
          Home
        </Typography>
        <Box display="flex" flexDirection="column" gap={GAP}>
          {bands.map((band, index) =>
            band.kind === 'full' ? (
              <Stack key={index} widgets={band.widgets} />
            ) : (
              <Box
                key={index}
                display="grid"
                gap={GAP}
                alignItems="start"
                gridTemplateColumns={{
                  xs: 'minmax(0, 1fr)',
                  md: band.columns
                    .map(column => `minmax(0, ${column.width}fr)`)
                    .join(' '),
                }}
              >
                {band.columns.map((column, columnIndex) => (
                  <Stack key={columnIndex} widgets={column.widgets} />
                ))}
              </Box>
            ),
          )}
        </Box>
      </Content>
    </main>
  );
}
