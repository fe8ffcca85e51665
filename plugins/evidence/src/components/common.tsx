import type { Verdict } from '@internal/plugin-evidence-common';
import {
  ColouredChip,
  formatTime as formatUtc,
} from '@internal/plugin-fabric-react';

export {
  Mono,
  RefLink,
  errorMessage,
  packetKindLabel,
  shortRef,
  showInvisibleCharacters,
  UserText,
} from '@internal/plugin-fabric-react';

/** Green only for verified; red for what must not be trusted; amber for what is merely missing. */
const VERDICT_COLOURS: Record<Verdict, { bg: string; fg: string }> = {
  verified: { bg: '#2e7d32', fg: '#ffffff' },
  unsigned: { bg: '#fff3e0', fg: '#e65100' },
  incomplete: { bg: '#ffe0b2', fg: '#bf360c' },
  'redaction-failed': { bg: '#f3e5f5', fg: '#6a1b9a' },
  tampered: { bg: '#c62828', fg: '#ffffff' },
};

export function VerdictChip({ verdict }: { verdict: Verdict }) {
  return (
    <ColouredChip
      label={verdict}
      testId="verdict"
      colour={VERDICT_COLOURS[verdict] ?? VERDICT_COLOURS.incomplete}
    />
  );
}

/** `2026-01-02T17:07:50.000Z` as `2026-01-02 17:07:50 UTC`: evidence is read in one zone. */
export function formatTime(iso?: string): string {
  return formatUtc(iso, { seconds: true });
}

export function formatBytes(bytes?: number): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
