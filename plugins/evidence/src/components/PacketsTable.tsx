import { Link } from '@backstage/core-components';
import MuiLink from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import {
  RefLink,
  UserText,
  VerdictChip,
  formatTime,
  packetKindLabel,
  shortRef,
} from './common';

/**
 * Packets newest first. Each title either links to the packet page (`linkTo`)
 * or selects the packet in place (`onSelect`).
 */
export function PacketsTable(props: {
  packets: EvidencePacket[];
  linkTo?: (packet: EvidencePacket) => string;
  onSelect?: (packet: EvidencePacket) => void;
  selectedId?: string;
  hideTenant?: boolean;
  empty: string;
}) {
  const { packets, linkTo, onSelect, selectedId, hideTenant, empty } = props;
  if (packets.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {empty}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Evidence packets">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Packet</TableCell>
          <TableCell>Area</TableCell>
          <TableCell>Kind</TableCell>
          {!hideTenant && <TableCell>Tenant</TableCell>}
          <TableCell>Verdict</TableCell>
          <TableCell>Signed by</TableCell>
          <TableCell>Result</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {packets.map(p => {
          const label = <UserText text={p.title ?? p.key} />;
          return (
            <TableRow
              key={p.id}
              selected={p.id === selectedId}
              data-testid="packet-row"
            >
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {formatTime(p.timestamp)}
              </TableCell>
              <TableCell>
                {linkTo ? (
                  <Link to={linkTo(p)}>{label}</Link>
                ) : (
                  <MuiLink
                    component="button"
                    variant="body2"
                    onClick={() => onSelect?.(p)}
                  >
                    {label}
                  </MuiLink>
                )}
              </TableCell>
              <TableCell>
                {p.area}
                {p.subject ? (
                  <>
                    {' / '}
                    <UserText text={p.subject} />
                  </>
                ) : (
                  ''
                )}
              </TableCell>
              <TableCell>{p.kind ? packetKindLabel(p.kind) : '—'}</TableCell>
              {!hideTenant && (
                <TableCell>
                  {p.tenant ? <RefLink entityRef={p.tenant} /> : '—'}
                </TableCell>
              )}
              <TableCell>
                <VerdictChip verdict={p.verdict} />
              </TableCell>
              <TableCell>
                {p.signers.length ? p.signers.map(shortRef).join(', ') : '—'}
                {p.requiredSigners > 1
                  ? ` (${p.signers.length}/${p.requiredSigners})`
                  : ''}
              </TableCell>
              <TableCell>{p.result ?? ''}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
