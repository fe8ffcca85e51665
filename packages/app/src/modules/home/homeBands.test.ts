import { HomeBand, homeBands } from './homeBands';

const widget = (name: string) => ({ name });
const at = (component: string, column: number, row: number, width = 6) => ({
  component,
  column,
  row,
  width,
  height: 1,
});

const names = (bands: HomeBand<{ name: string }>[]) =>
  bands.map(band =>
    band.kind === 'full'
      ? band.widgets[0].name
      : band.columns.map(column => column.widgets.map(w => w.name)),
  );

describe('the home page bands', () => {
  const widgets = [
    'signed-in',
    'search',
    'for-you',
    'welcome',
    'toolkit',
    'starred',
  ].map(widget);

  it('stacks the cards between two full-width ones in their columns, in row order', () => {
    const bands = homeBands(widgets, [
      at('signed-in', 0, 0, 12),
      at('search', 0, 1, 12),
      at('starred', 6, 4),
      at('for-you', 0, 2),
      at('welcome', 6, 2),
      at('toolkit', 0, 3),
    ]);
    expect(names(bands)).toEqual([
      'signed-in',
      'search',
      [
        ['for-you', 'toolkit'],
        ['welcome', 'starred'],
      ],
    ]);
    expect(bands[2]).toMatchObject({
      columns: [{ width: 6 }, { width: 6 }],
    });
  });

  it('starts new columns after a full-width card', () => {
    expect(
      names(
        homeBands(widgets.slice(1, 5), [
          at('for-you', 0, 0),
          at('welcome', 6, 0),
          at('search', 0, 1, 12),
          at('toolkit', 0, 2),
        ]),
      ),
    ).toEqual([[['for-you'], ['welcome']], 'search', [['toolkit']]]);
  });

  it('shows only the cards the config places, each once; every card without a config', () => {
    expect(
      names(
        homeBands(widgets.slice(0, 3), [
          at('search', 0, 0, 12),
          at('search', 0, 5, 12),
          at('gone', 0, 1, 12),
        ]),
      ),
    ).toEqual(['search']);
    expect(names(homeBands(widgets.slice(0, 2)))).toEqual([
      'signed-in',
      'search',
    ]);
  });
});
