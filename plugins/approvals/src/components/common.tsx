import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ProposalState } from '@internal/plugin-approvals-common';
import { ColouredChip, Mono } from '@internal/plugin-fabric-react';

export {
  Mono,
  SimpleTable,
  errorMessage,
  formatTime,
  packetKindLabel,
  packetKindsPhrase,
  shortRef,
  showInvisibleCharacters,
  UserText,
  type SimpleColumn,
} from '@internal/plugin-fabric-react';

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
  verified: { bg: '#1b5e20', fg: '#ffffff' },
  'rolled-back': { bg: '#6d4c41', fg: '#ffffff' },
};

export function StateChip({ state }: { state: ProposalState }) {
  return (
    <ColouredChip
      label={state}
      testId="proposal-state"
      colour={STATE_COLOURS[state] ?? STATE_COLOURS.submitted}
    />
  );
}

export function shortHash(hash?: string): string {
  if (!hash) return '';
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
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
