import { ReactNode } from 'react';
import MuiTable from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

export {
  Mono,
  SimpleTable,
  type SimpleColumn,
} from '@internal/plugin-fabric-react';

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
    return <Typography color="text.secondary">Nothing recorded.</Typography>;
  }
  return (
    <MuiTable size="small">
      <TableBody>
        {shown.map(f => (
          <TableRow key={f.label}>
            <TableCell component="th" scope="row" style={{ width: '35%' }}>
              <Typography variant="body2" color="text.secondary">
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
