import Typography from '@mui/material/Typography';
import {
  bindingChangeSchema,
  capacityChangeSchema,
  type BindingChange,
  type Proposal,
} from '@internal/plugin-approvals-common';
import { Mono, shortRef } from './common';

type Binding = BindingChange['binding'];

function describeBinding(b: Binding) {
  return (
    <>
      workload <Mono>{b.workload}</Mono> → consumer <Mono>{b.consumer}</Mono> at{' '}
      <Mono>{b.endpoint}</Mono> in {shortRef(b.environment)}
      {b.service ? <> (service {shortRef(b.service)})</> : null}
    </>
  );
}

const QUOTA_LABELS: Record<string, string> = {
  cpuCores: 'CPU cores',
  memoryGiB: 'Memory (GiB)',
  storageGiB: 'Storage (GiB)',
  maxDatabases: 'Databases',
  maxConnections: 'Connections',
};

/**
 * A readable line for binding and capacity changes. Shown only when the change parses against
 * its schema; otherwise the validation section says what is wrong and the JSON shows the rest.
 */
export function ChangeSummary({ proposal }: { proposal: Proposal }) {
  if (proposal.type === 'binding-change') {
    const parsed = bindingChangeSchema.safeParse(proposal.change);
    if (!parsed.success) return null;
    const c = parsed.data;
    return (
      <Typography variant="body2" paragraph data-testid="change-summary">
        {c.action === 'add' && <>Add binding: {describeBinding(c.binding)}</>}
        {c.action === 'remove' && (
          <>Remove binding: {describeBinding(c.binding)}</>
        )}
        {c.action === 'replace' && (
          <>
            Replace binding:{' '}
            {c.previous ? describeBinding(c.previous) : 'unknown'}
            <br />
            with: {describeBinding(c.binding)}
          </>
        )}
      </Typography>
    );
  }
  if (proposal.type === 'capacity-change') {
    const parsed = capacityChangeSchema.safeParse(proposal.change);
    if (!parsed.success) return null;
    const quotas = parsed.data.quotas as Record<string, unknown>;
    return (
      <div data-testid="change-summary">
        <Typography variant="body2">New quotas:</Typography>
        <ul style={{ marginTop: 4 }}>
          {Object.entries(quotas).map(([k, v]) => (
            <li key={k}>
              <Typography variant="body2">
                {QUOTA_LABELS[k] ?? k}: <Mono>{String(v)}</Mono>
              </Typography>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return null;
}
