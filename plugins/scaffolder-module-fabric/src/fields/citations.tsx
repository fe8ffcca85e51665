import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import Typography from '@mui/material/Typography';
import { ReactNode, useEffect, useRef } from 'react';

// The two citation fields (evidence packets, drift runs) list what the chosen tenant (and
// environment) has, as the signed-in user may read it, and let the user tick several.

/**
 * Clears the picks when the form's choice they depend on changes (another tenant or
 * environment): a packet of the previous tenant must not travel with the new one. The first
 * sight of a choice (mount, or back from the review) keeps the picks.
 */
export function useClearOnChange(
  dependsOn: string,
  hasPicks: boolean,
  clear: () => void,
) {
  const seen = useRef<string>();
  useEffect(() => {
    if (seen.current !== undefined && seen.current !== dependsOn && hasPicks) {
      clear();
    }
    seen.current = dependsOn;
    // Only a change of the choice clears; the picks themselves must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dependsOn]);
}

/**
 * Drops the picks the list does not offer once the list is in: a pick kept from another tenant,
 * or one the user may no longer read, must not be submitted unseen.
 */
export function useKeepOffered<P>(
  listed: Array<{ id: string }> | undefined,
  picks: P[],
  idOf: (pick: P) => string,
  onChange: (kept: P[]) => void,
) {
  useEffect(() => {
    if (!listed) return;
    const offered = new Set(listed.map(item => item.id));
    if (picks.some(p => !offered.has(idOf(p)))) {
      onChange(picks.filter(p => offered.has(idOf(p))));
    }
    // Runs when the list arrives; the picks it leaves are what the user ticks afterwards.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listed]);
}

/** The field's frame: a fieldset with the title as legend, the description, then the body. */
export function CitationFieldset(props: {
  title: string;
  description?: string;
  children: ReactNode;
  rawErrors?: string[];
}) {
  return (
    <FormControl fullWidth margin="normal" component="fieldset">
      <Typography variant="subtitle1" component="legend">
        {props.title}
      </Typography>
      {props.description && (
        <Typography variant="body2" color="text.secondary">
          {props.description}
        </Typography>
      )}
      {props.children}
      {(props.rawErrors ?? []).map(message => (
        <FormHelperText key={message} error>
          {message}
        </FormHelperText>
      ))}
    </FormControl>
  );
}

/** What the list is waiting for, or why it is empty; undefined once there is a list. */
export function citationStatus(state: {
  missing?: string;
  loading: boolean;
  error?: Error;
  what: string;
  empty: boolean;
  emptyText: string;
}): ReactNode | undefined {
  if (state.missing) {
    return (
      <Typography variant="body2" color="text.secondary">
        {state.missing}
      </Typography>
    );
  }
  if (state.loading) {
    return (
      <Box display="flex" alignItems="center" gap={1}>
        <CircularProgress size={16} />
        <Typography variant="body2">Reading the {state.what}…</Typography>
      </Box>
    );
  }
  if (state.error) {
    return (
      <FormHelperText error>
        The {state.what} could not be read ({state.error.message}). You can
        submit without citing any, or try again later.
      </FormHelperText>
    );
  }
  if (state.empty) {
    return (
      <Typography variant="body2" color="text.secondary">
        {state.emptyText}
      </Typography>
    );
  }
  return undefined;
}

/** Short cells (verdicts, dates, areas) never break mid-word. */
export const nowrap = { whiteSpace: 'nowrap' } as const;
