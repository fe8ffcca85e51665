import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import DialogContentText from '@mui/material/DialogContentText';
import {
  rollbackRequestSchema,
  verifyRequestSchema,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { ActionDialog, DialogProps, FIELD_LABELS } from './ActionDialogs';
import { NoteField, PacketField } from './DecisionFields';
import { Mono, UserText, zodIssues } from './common';

const PACKET_REQUIRED =
  'Evidence packet id: is required; name the verified packet, as the Evidence page shows it';

/** The operator confirms an applied change with the packet of the verification. */
export function VerifyDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const [evidence, setEvidence] = useState('');
  const [comment, setComment] = useState('');
  const run = () => {
    if (!evidence.trim()) return PACKET_REQUIRED;
    const parsed = verifyRequestSchema.safeParse({
      evidence: evidence.trim(),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.verify(view.proposal.id, parsed.data);
  };
  return (
    <ActionDialog
      title="Verify applied change"
      submitLabel="Verify"
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Confirm that “<UserText text={view.proposal.title} />” works as applied.
        Cite the evidence packet of the verification run; the portal checks it
        exists, is verified, belongs to the tenant and is recent. From a shell:{' '}
        <Mono>yarn fabric verify {view.proposal.id} --evidence</Mono>.
      </DialogContentText>
      <PacketField
        id="approvals-verify-evidence"
        value={evidence}
        onChange={setEvidence}
      />
      <NoteField
        id="approvals-verify-comment"
        label="Comment"
        value={comment}
        onChange={setComment}
      />
    </ActionDialog>
  );
}

/** The operator records that an applied change was rolled back: why, and the packet. */
export function RollbackDialog({ view, onClose, onDone }: DialogProps) {
  const api = useApi(approvalsApiRef);
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState('');
  const run = () => {
    if (!reason.trim()) {
      return 'Reason: is required; say why the change was rolled back';
    }
    if (!evidence.trim()) return PACKET_REQUIRED;
    const parsed = rollbackRequestSchema.safeParse({
      reason,
      evidence: evidence.trim(),
    });
    if (!parsed.success) return zodIssues(parsed.error.issues, FIELD_LABELS);
    return api.rollback(view.proposal.id, parsed.data);
  };
  return (
    <ActionDialog
      title="Record rollback"
      submitLabel="Roll back"
      danger
      onClose={onClose}
      onDone={onDone}
      run={run}
    >
      <DialogContentText>
        Record that “<UserText text={view.proposal.title} />” was rolled back,
        with the reason and the evidence packet of the rollback run. The
        proposal ends in <Mono>rolled-back</Mono>; a corrected change is a new
        proposal.
      </DialogContentText>
      <NoteField
        id="approvals-rollback-reason"
        label="Reason"
        required
        value={reason}
        onChange={setReason}
      />
      <PacketField
        id="approvals-rollback-evidence"
        value={evidence}
        onChange={setEvidence}
      />
    </ActionDialog>
  );
}
