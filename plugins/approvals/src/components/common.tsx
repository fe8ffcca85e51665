import { CSSProperties, ReactNode } from 'react';
import {
  Chip,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ProposalState } from '@internal/plugin-approvals-common';

/** Colours of the lifecycle states: open work is warm, good outcomes green, dead ends grey/red. */
const STATE_COLOURS: Record<ProposalState, { bg: string; fg: string }> = {
  submitted: { bg: '#e0e0e0', fg: '#212121' },
  validated: { bg: '#bbdefb', fg: '#0d47a1' },
  'in-review': { bg: '#ffe0b2', fg: '#e65100' },
  approved: { bg: '#c8e6c9', fg: '#1b5e20' },
  rejected: { bg: '#ffcdd2', fg: '#b71c1c' },
  expired: { bg: '#cfd8dc', fg: '#37474f' },
  withdrawn: { bg: '#eeeeee', fg: '#616161' },
  applied: { bg: '#2e7d32', fg: '#ffffff' },
};

export function StateChip({ state }: { state: ProposalState }) {
  const colour = STATE_COLOURS[state] ?? STATE_COLOURS.submitted;
  return (
    <Chip
      size="small"
      label={state}
      data-testid="proposal-state"
      style={{ backgroundColor: colour.bg, color: colour.fg, fontWeight: 500 }}
    />
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return (
    <code style={{ fontSize: '0.9em', wordBreak: 'break-all' }}>
      {children}
    </code>
  );
}

/** `2026-11-23T12:00:00.000Z` as `2026-11-23 12:00 UTC`; one zone for everyone reading an audit. */
export function formatTime(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `tenant:default/project-birds` as `project-birds` (the namespace only when not default). */
export function shortRef(ref?: string): string {
  if (!ref) return '';
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

export function shortHash(hash?: string): string {
  if (!hash) return '';
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

export type SimpleColumn<T> = { title: string; render: (row: T) => ReactNode };

/**
 * A small dense table with a header row, labelled for screen readers and tests (the same shape
 * as the Fabric plugin's, kept local so the two plugins stay independent).
 */
export function SimpleTable<T>(props: {
  label: string;
  columns: SimpleColumn<T>[];
  rows: ReadonlyArray<T>;
  rowKey: (row: T) => string;
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

/** The message of whatever was thrown; backend messages are shown verbatim. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Zod issues as `field: message` lines, for checks done before a request is sent. */
export function zodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  labels: Record<string, string> = {},
): string {
  return issues
    .map(i => {
      const path = i.path.map(String).join('.');
      const label = labels[path] ?? path;
      return label ? `${label}: ${i.message}` : i.message;
    })
    .join('\n');
}

/**
 * Who acted: people and groups link to their catalog page; other principals (the backend itself,
 * a service) are shown as they are recorded.
 */
export function ActorRef({ actor }: { actor: string }) {
  let kind: string | undefined;
  try {
    kind = parseEntityRef(actor).kind.toLocaleLowerCase('en-US');
  } catch {
    kind = undefined;
  }
  if (kind === 'user' || kind === 'group') {
    return <EntityRefLink entityRef={actor} hideIcon disableTooltip />;
  }
  return <Mono>{actor}</Mono>;
}
