import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import {
  createUnifiedTheme,
  defaultComponentThemes,
  palettes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import type { ThemeOptions } from '@mui/material/styles';
import { DarkIcon, LightIcon } from '../nav/icons';

const stockCell = defaultComponentThemes?.MuiTableCell;
const stockCellRoot = stockCell?.styleOverrides?.root;

function stockCellStyle(props: unknown): object {
  const style =
    typeof stockCellRoot === 'function'
      ? (stockCellRoot as (p: unknown) => unknown)(props)
      : stockCellRoot;
  return typeof style === 'object' && style !== null ? style : {};
}

/**
 * Table cells break words only where they must. The stock theme gives every cell
 * `word-break: break-word`, which lets a narrow column cut any word ("Observa bility", "PA SS");
 * `overflow-wrap: break-word` keeps each word whole unless that word alone is wider than the
 * table can give it. Applies to every table of the app (Material UI v4 and v5 alike).
 */
export const tableCellOverrides: typeof stockCell = {
  ...stockCell,
  styleOverrides: {
    ...stockCell?.styleOverrides,
    root: props => ({
      ...stockCellStyle(props),
      wordBreak: 'normal',
      overflowWrap: 'break-word',
    }),
  },
};

/**
 * Sidebar labels get the width the item has. The stock item gives every label 110 px and keeps
 * a 56 px column on its right for an action (a badge, an arrow) even when the item has none, so
 * "Catalog Graph", "Failure impact" and "SPOF inventory" were cut to "Catalog Gra…". An empty
 * action column now takes no room and the label grows into it; an item with a badge keeps its
 * column. Labels longer than the whole row still end in an ellipsis.
 */
export const sidebarItemOverrides = {
  styleOverrides: {
    label: { width: 'auto', minWidth: 0 },
    secondaryAction: { '&:empty': { display: 'none' } },
  },
};

/** Component overrides both themes share (light and dark look alike but for the palette). */
const components = {
  MuiTableCell: tableCellOverrides,
  BackstageSidebarItem: sidebarItemOverrides,
} as ThemeOptions['components'];

/**
 * The stock light palette with a darker secondary text: the stock rgba(0, 0, 0, 0.54) falls
 * under the WCAG AA contrast of 4.5:1 on the light grey page background (search results,
 * captions), so secondary text uses rgba(0, 0, 0, 0.68) (about 6.5:1 on that background).
 *
 * Runbooks: TechDocs colours highlighted code from the palette (strings from `success.dark` in
 * the light theme, numbers from `error.light` in the dark one). Material UI's default greens and
 * reds give 4.1:1 and 3.4:1 on the code background. Light now uses Material UI v5's own greens
 * for both versions (strings: green 900), dark a lighter red (red 200) for numbers.
 */
export const fabricLightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    text: {
      primary: 'rgba(0, 0, 0, 0.87)',
      secondary: 'rgba(0, 0, 0, 0.68)',
    },
    // Material UI v5's own light-mode greens; v4's defaults (main #4caf50) were lighter.
    success: { main: '#2e7d32', light: '#4caf50', dark: '#1b5e20' },
  },
  components,
});

export const fabricDarkTheme = createUnifiedTheme({
  palette: {
    ...palettes.dark,
    error: { main: '#f44336', light: '#ef9a9a', dark: '#d32f2f' },
  },
  components,
});

/** A theme extension of the app; named 'light' or 'dark', it replaces the stock one. */
function themeExtension(
  variant: 'light' | 'dark',
  title: string,
  icon: JSX.Element,
  theme: typeof fabricLightTheme,
) {
  return ThemeBlueprint.make({
    name: variant,
    params: {
      theme: {
        id: variant,
        title,
        variant,
        icon,
        Provider: ({ children }) => (
          <UnifiedThemeProvider theme={theme}>{children}</UnifiedThemeProvider>
        ),
      },
    },
  });
}

// Same extension ids as the stock themes, so light stays the default.
const lightTheme = themeExtension(
  'light',
  'Light Theme',
  <LightIcon />,
  fabricLightTheme,
);
const darkTheme = themeExtension(
  'dark',
  'Dark Theme',
  <DarkIcon />,
  fabricDarkTheme,
);

export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [lightTheme, darkTheme],
});
