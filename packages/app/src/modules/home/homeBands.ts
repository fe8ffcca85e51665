import type { HomePageDefaultConfigItem } from '@backstage/plugin-home-react/alpha';

/** A full-width widget, or columns of widgets stacked each at its own height. */
export type HomeBand<W> =
  | { kind: 'full'; widgets: [W] }
  | { kind: 'columns'; columns: Array<{ width: number; widgets: W[] }> };

/** The width of the home page grid the app-config's `defaultConfig` is written for. */
export const GRID_COLUMNS = 12;

/**
 * Lays the widgets out as the app-config's `defaultConfig` places them, in bands read from
 * top to bottom: a widget as wide as the grid is a band of its own; the widgets between two
 * of those form columns (by their `column`), each column stacking its widgets in `row` order
 * at the height of their content. A column of short cards beside a tall one therefore leaves
 * no hole between cards, whatever each role's cards hold (`height` is not used).
 */
export function homeBands<W extends { name?: string }>(
  widgets: W[],
  config: HomePageDefaultConfigItem[] = [],
): HomeBand<W>[] {
  const byName = new Map(widgets.map(w => [w.name, w]));
  const seen = new Set<string>();
  const placed = [...config]
    .sort((a, b) => a.row - b.row || a.column - b.column)
    // A widget is placed once: where the config first puts it.
    .filter(item => {
      if (!byName.has(item.component) || seen.has(item.component)) {
        return false;
      }
      seen.add(item.component);
      return true;
    });
  const bands: HomeBand<W>[] = [];
  let columns = new Map<number, { width: number; widgets: W[] }>();
  const closeColumns = () => {
    if (columns.size === 0) return;
    bands.push({
      kind: 'columns',
      columns: [...columns.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, column]) => column),
    });
    columns = new Map();
  };
  for (const item of placed) {
    const widget = byName.get(item.component)!;
    if (item.width >= GRID_COLUMNS) {
      closeColumns();
      bands.push({ kind: 'full', widgets: [widget] });
      continue;
    }
    const column = columns.get(item.column) ?? { width: 0, widgets: [] };
    column.width = Math.max(column.width, item.width);
    column.widgets.push(widget);
    columns.set(item.column, column);
  }
  closeColumns();
  // Without a config every widget shows, one band each. With one, only the widgets it places:
  // plugins offer more (the stock grid kept them for its "Add widget" dialog), some of which
  // reach out to the internet (a random joke).
  if (config.length === 0) {
    return widgets.map(widget => ({ kind: 'full', widgets: [widget] }));
  }
  return bands;
}
