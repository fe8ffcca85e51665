import Checkbox from '@mui/material/Checkbox';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { ReactNode } from 'react';
import { nowrap } from './citations';

/** One column of a citation table after the "Cite" checkbox. */
export interface CitationColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Short values (verdicts, dates, areas) that must not break mid-word. */
  nowrap?: boolean;
}

/**
 * The table both citation fields draw: one row per citable item (an evidence packet, a drift
 * run), a "Cite" checkbox first, a picked row highlighted. What the rows are and what a pick
 * holds stay with the field.
 */
export function CitationTable<T>(props: {
  /** The table's accessible name, e.g. `Evidence packets to cite`. */
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  isPicked: (row: T) => boolean;
  onToggle: (row: T, picked: boolean) => void;
  /** The checkbox's accessible name, e.g. `Cite Birds plan`. */
  checkboxLabel: (row: T) => string;
  columns: CitationColumn<T>[];
  disabled?: boolean;
}) {
  const { rows, columns } = props;
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" sx={nowrap}>
            Cite
          </TableCell>
          {columns.map(column => (
            <TableCell key={column.header}>{column.header}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => {
          const picked = props.isPicked(row);
          return (
            <TableRow key={props.rowKey(row)} selected={picked}>
              <TableCell padding="checkbox">
                <Checkbox
                  checked={picked}
                  onChange={e => props.onToggle(row, e.target.checked)}
                  disabled={props.disabled}
                  inputProps={{ 'aria-label': props.checkboxLabel(row) }}
                />
              </TableCell>
              {columns.map(column => (
                <TableCell
                  key={column.header}
                  sx={column.nowrap ? nowrap : undefined}
                >
                  {column.cell(row)}
                </TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
