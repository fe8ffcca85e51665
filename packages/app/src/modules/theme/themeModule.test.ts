import type { Theme } from '@mui/material/styles';
import { fabricDarkTheme, fabricLightTheme } from './themeModule';

describe('the app light theme', () => {
  const v5 = fabricLightTheme.getTheme('v5') as Theme;

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
