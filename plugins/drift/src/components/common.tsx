import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DriftRunbookLink,
  DriftVerdict,
} from '@internal/plugin-drift-common';
import {
  ColouredChip,
  shortRef,
  showInvisibleCharacters,
} from '@internal/plugin-fabric-react';

export {
  errorMessage,
  formatTime,
  shortRef,
  showInvisibleCharacters,
  UserText,
} from '@internal/plugin-fabric-react';

/** Verdict colours: the same in chips, heat map cells and chart points. */
export const VERDICT_COLOURS: Record<
  DriftVerdict | 'NONE',
  { bg: string; fg: string }
> = {
  PASS: { bg: '#2e7d32', fg: '#ffffff' },
  WARN: { bg: '#ed6c02', fg: '#ffffff' },
  FAIL: { bg: '#c62828', fg: '#ffffff' },
  NONE: { bg: '#e0e0e0', fg: '#424242' },
};

export function VerdictChip({
  verdict,
  label,
}: {
  verdict: DriftVerdict | 'NONE';
  label?: string;
}) {
  return (
    <ColouredChip
      label={label ?? (verdict === 'NONE' ? 'no data' : verdict)}
      colour={VERDICT_COLOURS[verdict]}
      weight={600}
      extra={{ 'data-verdict': verdict }}
    />
  );
}

/** The TechDocs page of a runbook Resource. */
export function runbookPath(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/docs/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

export function RunbookLink({ runbook }: { runbook: DriftRunbookLink }) {
  return (
    <Link to={runbookPath(runbook.ref)}>
      {runbook.title ?? shortRef(runbook.ref)}
    </Link>
  );
}

/**
 * The tenant-proposal template, pre-filled from a finding of a tenant: the tenant, the
 * environment (a Resource ref) and a title naming the resource. Undefined for a finding of no
 * tenant or one that passed (nothing to change).
 */
export function proposalPath(finding: {
  tenant?: string;
  environment: string;
  resource: string;
  verdict: string;
}): string | undefined {
  if (!finding.tenant || finding.verdict === 'PASS') return undefined;
  const environment = finding.environment.includes(':')
    ? finding.environment
    : `resource:default/${finding.environment}`;
  const formData = {
    tenant: finding.tenant,
    environment,
    title: `Drift ${finding.verdict}: ${finding.resource}`.slice(0, 200),
  };
  return `/create/templates/default/tenant-proposal?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/** A declared or observed value: JSON, indented, or a dash when absent. */
export function ValueView({ value, label }: { value: unknown; label: string }) {
  if (value === undefined) {
    return <span aria-label={`${label}: not reported`}>—</span>;
  }
  return (
    <pre
      aria-label={label}
      style={{
        margin: 0,
        fontSize: '0.8em',
        whiteSpace: 'pre-wrap',
        // Break a long token only when it alone would overflow; never inside a short word (the
        // column keeps room for whole words, unlike 'anywhere' or 'break-all').
        overflowWrap: 'break-word',
        maxHeight: 240,
        overflow: 'auto',
      }}
    >
      {showInvisibleCharacters(JSON.stringify(value, null, 2))}
    </pre>
  );
}
