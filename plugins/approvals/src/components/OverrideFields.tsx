import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';

// The audited change-window override that approve and apply dialogs offer.

export type OverrideState = {
  enabled: boolean;
  reason: string;
  trackingRef: string;
};

export function OverrideFields(props: {
  value: OverrideState;
  onChange: (v: OverrideState) => void;
  what: string;
}) {
  const { value, onChange, what } = props;
  return (
    <>
      <FormControlLabel
        control={
          <Checkbox
            checked={value.enabled}
            onChange={e => onChange({ ...value, enabled: e.target.checked })}
          />
        }
        label={`Override ${what} (audited; needs a reason and a tracking task)`}
      />
      {value.enabled && (
        <>
          <TextField
            variant="standard"
            id="approvals-override-reason"
            label="Override reason"
            fullWidth
            margin="dense"
            required
            value={value.reason}
            onChange={e => onChange({ ...value, reason: e.target.value })}
          />
          <TextField
            variant="standard"
            id="approvals-override-tracking-ref"
            label="Override tracking reference"
            placeholder="OPS-123"
            fullWidth
            margin="dense"
            required
            value={value.trackingRef}
            onChange={e => onChange({ ...value, trackingRef: e.target.value })}
          />
        </>
      )}
    </>
  );
}

export const noOverride: OverrideState = {
  enabled: false,
  reason: '',
  trackingRef: '',
};

/** Required fields are checked here so the message says what to write, not a length. */
export function missingOverride(o: OverrideState): string | undefined {
  if (!o.enabled) return undefined;
  if (!o.reason.trim()) {
    return 'Override reason: is required; say why the override is needed';
  }
  if (!o.trackingRef.trim()) {
    return 'Override tracking reference: is required; name the tracking task, such as OPS-123';
  }
  return undefined;
}

export function overrideBody(o: OverrideState) {
  return o.enabled
    ? { override: { reason: o.reason, trackingRef: o.trackingRef.trim() } }
    : {};
}

/** 86400000 as `1 day`, 7200000 as `2 hours`. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
