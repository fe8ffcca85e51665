import { ReactNode, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  applyRequestSchema,
  approveRequestSchema,
  rejectRequestSchema,
  withdrawRequestSchema,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { errorMessage, Mono, UserText, zodIssues } from './common';
import { NoteField, PacketField } from './DecisionFields';
import { signCommand } from './DigestBox';
import {
  formatDuration,
  missingOverride,
  noOverride,
  OverrideFields,
  overrideBody,
  type OverrideState,
} from './OverrideFields';

export { formatDuration } from './OverrideFields';

export type ActionKind =
  | 'claim'
  | 'approve'
  | 'reject'
  | 'withdraw'
  | 'apply'
  | 'verify'
  | 'rollback';

export const FIELD_LABELS: Record<string, string> = {
  comment: 'Comment',
  signature: 'Signature',
  reason: 'Reason',
  reference: 'Reference',
  evidence: 'Evidence packet id',
  'override.reason': 'Override reason',
  'override.trackingRef': 'Override tracking reference',
};

export type DialogProps = {
  view: ProposalView;
  onClose: () => void;
  /** Called after the backend accepted the action; the caller refreshes. */
  onDone: () => void;
};

/** A dialog that runs one action and shows the backend's refusal in place. */
export function ActionDialog(props: {
  title: string;
  submitLabel: string;
  onClose: () => void;
  onDone: () => void;
  /** Returns a message when the input cannot be sent, or runs the request. */
  run: () => string | Promise<unknown>;
  children: ReactNode;
  danger?: boolean;
}) {
  const { title, submitLabel, onClose, onDone, run, children, danger } = props;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setError(undefined);
    const pending = run();
    if (typeof pending === 'string') {
      setError(pending);
      return;
    }
    setBusy(true);
    try {
      await pending;
      setBusy(false);
      onDone();
    } catch (e) {
      setBusy(false);
      setError(errorMessage(e));
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="approvals-action-title"
    >
      <DialogTitle id="approvals-action-title">{title}</DialogTitle>
      <DialogContent>
        {children}
        {error && (
          <Typography
            color="error"
            role="alert"
            style={{ whiteSpace: 'pre-line', marginTop: 16 }}
          >
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color={danger ? 'secondary' : 'primary'}
          variant="contained"
          onClick={submit}
          disabled={busy}
        >
          {submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function ClaimDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  return (
    <ActionDialog
      title="Claim for review"
      submitLabel="Claim"
      onClose={onClose}
      onDone={onDone}
      run={() => api.claim(view.proposal.id)}
    >
      <DialogContentText>
        Take the exclusive review lease on “
        <UserText text={view.proposal.title} />
        ”. Other reviewers cannot claim it until you decide or the lease lapses.
      </DialogContentText>
    </ActionDialog>
  );
}

export function ApproveDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const { proposal, rules } = view;
  const [comment, setComment] = useState('');
  const [signature, setSignature] = useState('');
  const [override, setOverride] = useState<OverrideState>(noOverride);

  const run = () => {
    if (rules.requireSignature && !signature.trim()) {
      return 'Signature: is required for this environment; paste the armored output of the command above';
    }
    const missing = missingOverride(override);
    if (missing) return missing;
    const parsed = approveRequestSchema.safeParse({
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(signature.trim() ? { signature: signature.trim() } : {}),
      ...overrideBody(override),
    });
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.approve(proposal.id, parsed.data);
  };

  return (
    <ActionDialog
      title="Approve proposal"
      submitLabel="Approve"
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Approve “<UserText text={proposal.title} />
        ”. {rules.requiredApprovals} approval
        {rules.requiredApprovals === 1 ? '' : 's'} needed in total; an approval
        lapses after {formatDuration(rules.approvalTtlMs)}.
      </DialogContentText>
      <NoteField
        id="approvals-approve-comment"
        label="Comment"
        value={comment}
        onChange={setComment}
      />
      {rules.requireSignature && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          This is a production change: sign the digest with your registered key
          and paste the signature. <Mono>{signCommand(proposal.digest)}</Mono>
        </Typography>
      )}
      <TextField
        variant="standard"
        id="approvals-approve-signature"
        label="Armored signature"
        placeholder="-----BEGIN PGP SIGNATURE-----"
        fullWidth
        margin="dense"
        multiline
        minRows={rules.requireSignature ? 4 : 2}
        required={rules.requireSignature}
        value={signature}
        onChange={e => setSignature(e.target.value)}
        inputProps={{ style: { fontFamily: 'monospace' } }}
        helperText={
          rules.requireSignature
            ? 'Required for this environment'
            : 'Optional outside production'
        }
      />
      <OverrideFields
        value={override}
        onChange={setOverride}
        what="the change window"
      />
    </ActionDialog>
  );
}

export function RejectDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const [reason, setReason] = useState('');
  const run = () => {
    if (!reason.trim()) {
      return 'Reason: is required; say why the change is rejected';
    }
    const parsed = rejectRequestSchema.safeParse({ reason });
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.reject(view.proposal.id, parsed.data);
  };
  return (
    <ActionDialog
      title="Reject proposal"
      submitLabel="Reject"
      danger
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Reject “<UserText text={view.proposal.title} />
        ”. The requester sees your reason; a corrected change is a new proposal.
      </DialogContentText>
      <NoteField
        id="approvals-reject-reason"
        label="Reason"
        required
        value={reason}
        onChange={setReason}
      />
    </ActionDialog>
  );
}

export function WithdrawDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const [reason, setReason] = useState('');
  const run = () => {
    const parsed = withdrawRequestSchema.safeParse(
      reason.trim() ? { reason: reason.trim() } : {},
    );
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.withdraw(view.proposal.id, parsed.data);
  };
  return (
    <ActionDialog
      title="Withdraw proposal"
      submitLabel="Withdraw"
      danger
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Withdraw “<UserText text={view.proposal.title} />
        ”. It cannot be reopened; submit a new proposal instead.
      </DialogContentText>
      <NoteField
        id="approvals-withdraw-reason"
        label="Reason"
        value={reason}
        onChange={setReason}
      />
    </ActionDialog>
  );
}

export function ApplyDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const [reference, setReference] = useState('');
  const [evidence, setEvidence] = useState('');
  const [override, setOverride] = useState<OverrideState>(noOverride);
  const run = () => {
    if (!reference.trim()) {
      return 'Reference: is required; name what was applied (merge request, pipeline run, change ticket)';
    }
    if (!evidence.trim()) {
      return 'Evidence packet id: is required; name the verified packet of the apply run (or record the apply with yarn fabric apply)';
    }
    const missing = missingOverride(override);
    if (missing) return missing;
    const parsed = applyRequestSchema.safeParse({
      reference,
      evidence: evidence.trim(),
      ...overrideBody(override),
    });
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.apply(view.proposal.id, parsed.data);
  };
  return (
    <ActionDialog
      title="Mark applied"
      submitLabel="Mark applied"
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Record that “<UserText text={view.proposal.title} />” was applied. Name
        what was applied (a merge request, a pipeline run, a change ticket) and
        the evidence packet of the apply run; without a packet the apply is
        refused. Operators usually record this from their shell with{' '}
        <Mono>yarn fabric apply</Mono>; CI never applies.
      </DialogContentText>
      {!view.gate.allowed && (
        <Typography variant="body2" color="error" paragraph>
          The gate does not allow this change now:{' '}
          {view.gate.reasons.map(r => r.message).join('; ')}
        </Typography>
      )}
      <TextField
        variant="standard"
        id="approvals-apply-reference"
        label="Reference"
        fullWidth
        margin="dense"
        required
        value={reference}
        onChange={e => setReference(e.target.value)}
      />
      <PacketField
        id="approvals-apply-evidence"
        helperText="The verified packet of the apply run, as the Evidence page shows it"
        value={evidence}
        onChange={setEvidence}
      />
      <OverrideFields
        value={override}
        onChange={setOverride}
        what="the change window"
      />
    </ActionDialog>
  );
}
