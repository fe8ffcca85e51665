import { ResponseError } from '@backstage/errors';
import { ReactNode } from 'react';
import Chip from '@mui/material/Chip';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { readableColour } from './contrast';

export type ChipColour = { bg: string; fg: string };

/**
 * A small coloured chip for a state or verdict; the colour tables belong to each plugin. The text
 * colour is adjusted, when needed, to reach 4.5:1 contrast against the background (WCAG AA).
 */
export function ColouredChip(props: {
  label: string;
  colour: ChipColour;
  testId?: string;
  weight?: number;
  extra?: Record<string, string>;
}) {
  const colour = readableColour(props.colour);
  return (
    <Chip
      size="small"
      label={props.label}
      data-testid={props.testId}
      {...props.extra}
      style={{
        backgroundColor: colour.bg,
        color: colour.fg,
        fontWeight: props.weight ?? 500,
      }}
    />
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return (
    <code style={{ fontSize: '0.9em', overflowWrap: 'break-word' }}>
      {children}
    </code>
  );
}

/**
 * `2026-11-23T12:00:00.000Z` as `2026-11-23 12:00 UTC` (or with seconds): one zone for
 * everybody reading an audit trail or evidence.
 */
export function formatTime(
  iso?: string,
  options: { seconds?: boolean } = {},
): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d
    .toISOString()
    .slice(0, options.seconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
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

/** A catalog entity ref as a link to its page; anything else as plain monospace. */
export function RefLink({ entityRef }: { entityRef: string }) {
  try {
    parseEntityRef(entityRef);
  } catch {
    return <Mono>{entityRef}</Mono>;
  }
  return <EntityRefLink entityRef={entityRef} hideIcon disableTooltip />;
}

/** A ResponseError of @backstage/errors, by name (a bundle may hold more than one copy). */
export function isResponseError(e: unknown): e is ResponseError {
  return e instanceof Error && e.name === 'ResponseError' && 'response' in e;
}

/**
 * The message of whatever was thrown. A backend's error body (`{error: {name, message}}`) is
 * shown verbatim: its message names the field and the fix. An answer without one (a proxy's
 * 502 page) is described by its status.
 */
export function errorMessage(e: unknown): string {
  if (isResponseError(e)) {
    const json = e.response.headers
      .get('content-type')
      ?.startsWith('application/json');
    return json ? e.cause.message : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
