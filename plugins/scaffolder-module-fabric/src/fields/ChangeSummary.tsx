import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import FormHelperText from '@mui/material/FormHelperText';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { TenantChangeRow } from '@internal/plugin-fabric-common';
import { TenantChangeState } from './tenantChange';
import { fieldLabel } from './options';

/** Tells the user what the field is waiting for, or why it cannot work. */
export function TenantStatus(props: {
  state: TenantChangeState;
  what: string;
}) {
  const { state, what } = props;
  if (!state.tenantRef) {
    return (
      <Typography variant="body2" color="text.secondary">
        Pick the tenant first; its current {what} appear here.
      </Typography>
    );
  }
  if (state.loading) {
    return (
      <Box display="flex" alignItems="center" gap={1}>
        <CircularProgress size={16} />
        <Typography variant="body2">
          Reading {state.tenantRef} from the catalog…
        </Typography>
      </Box>
    );
  }
  if (state.tenantProblem) {
    return (
      <FormHelperText error style={{ whiteSpace: 'pre-line' }}>
        {state.tenantProblem}
      </FormHelperText>
    );
  }
  return null;
}

/** Current → requested, per field: the difference the proposal will ask for. */
export function ChangeSummary(props: {
  state: TenantChangeState;
  /** Problems that belong to no single input (nothing changes, environment, tenant after it). */
  problems: string[];
  /** A problem that is only a hint while the form is fresh ("nothing changes yet"). */
  hint?: string;
  /** Whether the user already tried to go on (then the hint is an error too). */
  attempted: boolean;
}) {
  const { state, problems, hint, attempted } = props;
  let body;
  if (!state.environment) {
    body = (
      <Typography variant="body2" color="text.secondary">
        Pick the target environment to see the difference.
      </Typography>
    );
  } else if (state.plan?.ok) {
    body = <DiffTable rows={state.plan.rows} />;
  } else if (problems.length > 0) {
    body = problems.map(message => (
      <FormHelperText key={message} error={attempted || message !== hint}>
        {message}
      </FormHelperText>
    ));
  } else {
    body = (
      <Typography variant="body2" color="text.secondary">
        Fill in the fields above to see the difference.
      </Typography>
    );
  }
  return (
    <Box mt={2} role="region" aria-label="Requested difference">
      <Typography variant="subtitle2">Requested difference</Typography>
      {body}
    </Box>
  );
}

function DiffTable(props: { rows: TenantChangeRow[] }) {
  return (
    <Table size="small" aria-label="Current and requested values">
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Current</TableCell>
          <TableCell>Requested</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.field}>
            <TableCell>{fieldLabel(row.field) ?? row.field}</TableCell>
            <TableCell>{row.current}</TableCell>
            <TableCell>
              <strong>{row.requested}</strong>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The form's own errors for the field, shown once a submit was attempted without a plan. */
export function FieldErrors(props: { messages?: string[] }) {
  const { messages = [] } = props;
  return (
    <Box mt={1}>
      {messages.map(message => (
        <FormHelperText key={message} error>
          {message}
        </FormHelperText>
      ))}
    </Box>
  );
}
