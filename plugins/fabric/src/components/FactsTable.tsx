import { CSSProperties, ReactNode } from 'react';
import {
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';

export type Fact = { label: string; value: ReactNode };

/** A two-column label/value table; rows with an empty value are left out. */
export function FactsTable({ facts }: { facts: Fact[] }) {
  const shown = facts.filter(
    f =>
      f.value !== undefined &&
      f.value !== null &&
      f.value !== '' &&
      !(Array.isArray(f.value) && f.value.length === 0),
  );
  if (shown.length === 0) {
    return <Typography color="textSecondary">Nothing recorded.</Typography>;
  }
  return (
    <MuiTable size="small">
      <TableBody>
        {shown.map(f => (
          <TableRow key={f.label}>
            <TableCell component="th" scope="row" style={{ width: '35%' }}>
              <Typography variant="body2" color="textSecondary">
                {f.label}
              </Typography>
            </TableCell>
            <TableCell>{f.value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return <code style={{ fontSize: '0.9em' }}>{children}</code>;
}

export function ChipList({ items }: { items?: ReadonlyArray<string> }) {
  if (!items?.length) return null;
  return (
    <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
      {items.map(i => (
        <span
          key={i}
          style={{
            border: '1px solid rgba(128,128,128,0.5)',
            borderRadius: 12,
            padding: '0 8px',
            fontSize: '0.85em',
          }}
        >
          {i}
        </span>
      ))}
    </span>
  );
}

export type SimpleColumn<T> = { title: string; render: (row: T) => ReactNode };

/** A small dense table with a header row, labelled for screen readers and tests. */
export function SimpleTable<T>(props: {
  label: string;
  columns: SimpleColumn<T>[];
  rows: ReadonlyArray<T>;
  rowKey: (row: T) => string;
  style?: CSSProperties;
}) {
  const { label, columns, rows, rowKey, style } = props;
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
