import { CSSProperties, ReactNode } from 'react';
import {
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';

export type SimpleColumn<T> = { title: string; render: (row: T) => ReactNode };

/** A small dense table with a header row, labelled for screen readers and tests. */
export function SimpleTable<T>(props: {
  label: string;
  columns: SimpleColumn<T>[];
  rows: ReadonlyArray<T>;
  rowKey: (row: T) => string;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  style?: CSSProperties;
}) {
  const { label, columns, rows, rowKey, empty, style } = props;
  if (rows.length === 0 && empty) {
    return (
      <Typography variant="body2" color="textSecondary">
        {empty}
      </Typography>
    );
  }
  return (
    <MuiTable size="small" aria-label={label} style={style}>
      <TableHead>
        <TableRow>
          {columns.map(c => (
            <TableCell key={c.title}>{c.title}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={rowKey(row)}>
            {columns.map(c => (
              <TableCell key={c.title}>{c.render(row)}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}
