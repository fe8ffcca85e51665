import TextField from '@mui/material/TextField';

/** A free-text note of a decision (comment or reason): two lines and growing. */
export function NoteField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  return (
    <TextField
      variant="standard"
      id={props.id}
      label={props.label}
      fullWidth
      margin="dense"
      multiline
      minRows={2}
      required={props.required}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
    />
  );
}

/**
 * The evidence packet a decision cites (apply, verify, roll back): always required, shown in
 * monospace as the Evidence page prints packet ids; `helperText` says which run's packet.
 */
export function PacketField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  helperText?: string;
}) {
  return (
    <TextField
      variant="standard"
      id={props.id}
      label="Evidence packet id"
      helperText={
        props.helperText ??
        'A verified packet of this tenant, as the Evidence page shows it'
      }
      fullWidth
      margin="dense"
      required
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      inputProps={{ style: { fontFamily: 'monospace' } }}
    />
  );
}
