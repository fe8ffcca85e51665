import { getContrastRatio, type Theme } from '@mui/material/styles';
import { fabricDarkTheme, fabricLightTheme } from './themeModule';

/** The light theme as Material UI v5 parts see it. */
const v5 = fabricLightTheme.getTheme('v5') as Theme;

describe('the app light theme', () => {
  it('keeps whole words in table cells, with the stock cell padding', () => {
    const root = v5.components?.MuiTableCell?.styleOverrides
      ?.root as unknown as (props: { theme: Theme }) => Record<string, unknown>;
    const style = root({ theme: v5 });
    expect(style.wordBreak).toBe('normal');
    expect(style.overflowWrap).toBe('break-word');
    // The stock rule's other parts stay (its padding and alignment).
    expect(style.verticalAlign).toBe('middle');
    expect(style.padding).toBe(v5.spacing(3, 2, 3, 2.5));
  });

  it('gives the Material UI v4 tables (the catalog table) the same rule', () => {
    const v4 = fabricLightTheme.getTheme('v4') as {
      overrides?: { MuiTableCell?: { root?: Record<string, unknown> } };
    };
    expect(v4.overrides?.MuiTableCell?.root).toMatchObject({
      wordBreak: 'normal',
      overflowWrap: 'break-word',
    });
  });

  it.each([
    ['light', fabricLightTheme],
    ['dark', fabricDarkTheme],
  ])(
    'lets %s sidebar labels grow into an empty action column',
    (_name, theme) => {
      const v4 = theme.getTheme('v4') as {
        overrides?: {
          BackstageSidebarItem?: Record<string, Record<string, unknown>>;
        };
      };
      const item = v4.overrides?.BackstageSidebarItem;
      expect(item?.label).toMatchObject({ width: 'auto' });
      expect(item?.secondaryAction).toMatchObject({
        '&:empty': { display: 'none' },
      });
    },
  );
});

/**
 * The code colours TechDocs derives from the Material UI v4 palette, as its reader's stylesheet
 * does (`--md-code-hl-*-color`: `.light` shades in a dark theme, `.dark` ones in a light theme),
 * on its code background.
 */
function techdocsCodeColours(theme: typeof fabricLightTheme) {
  type Shades = { light: string; dark: string };
  const palette = theme.getTheme('v4') as {
    palette: Record<'primary' | 'secondary' | 'success' | 'error', Shades> & {
      type: string;
      background: { paper: string };
      code?: { background?: string };
    };
  };
  const p = palette.palette;
  const shade = (s: Shades) => (p.type === 'dark' ? s.light : s.dark);
  return {
    background: p.code?.background ?? p.background.paper,
    colours: {
      keyword: shade(p.primary),
      function: shade(p.secondary),
      string: shade(p.success),
      number: shade(p.error),
    },
  };
}

describe('runbook code highlighting', () => {
  it('keeps Material UI v5 greens as they were in the light theme', () => {
    // The light palette's success shades are v5's defaults, so v5 parts look as before.
    expect(v5.palette.success).toMatchObject({
      main: '#2e7d32',
      dark: '#1b5e20',
    });
  });

  it.each([
    ['light', fabricLightTheme],
    ['dark', fabricDarkTheme],
  ])('reaches 4.5:1 on the code background in the %s theme', (_n, theme) => {
    const { background, colours } = techdocsCodeColours(theme);
    for (const [token, colour] of Object.entries(colours)) {
      expect({
        token,
        ratio: getContrastRatio(colour, background) >= 4.5,
      }).toEqual({ token, ratio: true });
    }
  });
});
