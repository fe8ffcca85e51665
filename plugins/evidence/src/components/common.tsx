import { ReactNode } from 'react';
import { Chip } from '@material-ui/core';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Verdict } from '@internal/plugin-evidence-common';

/** Green only for verified; red for what must not be trusted; amber for what is merely missing. */
const VERDICT_COLOURS: Record<Verdict, { bg: string; fg: string }> = {
  verified: { bg: '#2e7d32', fg: '#ffffff' },
  unsigned: { bg: '#fff3e0', fg: '#e65100' },
  incomplete: { bg: '#ffe0b2', fg: '#bf360c' },
  'redaction-failed': { bg: '#f3e5f5', fg: '#6a1b9a' },
  tampered: { bg: '#c62828', fg: '#ffffff' },
};

export function VerdictChip({ verdict }: { verdict: Verdict }) {
  const colour = VERDICT_COLOURS[verdict] ?? VERDICT_COLOURS.incomplete;
  return (
    <Chip
      size="small"
      label={verdict}
      data-testid="verdict"
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

/** `2026-01-02T17:07:50.000Z` as `2026-01-02 17:07:50 UTC`: evidence is read in one zone. */
export function formatTime(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatBytes(bytes?: number): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** `tenant:default/project-birds` as `project-birds`. */
export function shortRef(ref?: string): string {
  if (!ref) return '';
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/** A catalog entity ref as a link to its page. */
export function RefLink({ entityRef }: { entityRef: string }) {
  try {
    parseEntityRef(entityRef);
  } catch {
    return <Mono>{entityRef}</Mono>;
  }
  return <EntityRefLink entityRef={entityRef} hideIcon disableTooltip />;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
