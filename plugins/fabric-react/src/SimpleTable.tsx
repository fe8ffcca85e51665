import { CSSProperties, ReactNode } from 'react';
import MuiTable from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

// Whole words: a header never wraps, a cell breaks a word only when that word alone is wider
// than the table can give it (not "Reque ster" or "PA SS" in a narrow column).
const headerCell = { whiteSpace: 'nowrap' } as const;
const bodyCell = { wordBreak: 'normal', overflowWrap: 'break-word' } as const;

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
      <Typography variant="body2" color="text.secondary">
        {empty}
      </Typography>
    );
  }
  return (
    <MuiTable size="small" aria-label={label} style={style}>
      <TableHead>
        <TableRow>
          {columns.map(c => (
            <TableCell key={c.title} sx={headerCell}>
              {c.title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={rowKey(row)}>
            {columns.map(c => (
              <TableCell key={c.title} sx={bodyCell}>
                {c.render(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}
