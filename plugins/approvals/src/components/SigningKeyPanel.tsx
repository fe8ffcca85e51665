import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import {
  approvalsAuditVerifyPermission,
  approvalsSigningKeyManagePermission,
  signingKeyRequestSchema,
  type AuditChainVerification,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { errorMessage, formatTime, Mono, zodIssues } from './common';

/**
 * The operator's OpenPGP key for signing production approvals: the backend checks each signature
 * against the approver's registered key.
 */
export function SigningKeyPanel() {
  const { allowed } = usePermission({
    permission: approvalsSigningKeyManagePermission,
  });
  if (!allowed) return null;
  return <SigningKeyCard />;
}

function SigningKeyCard() {
  const api = useApi(approvalsApiRef);
  const key = useAsyncRetry(() => api.getMySigningKey(), [api]);
  const [editing, setEditing] = useState(false);
  const [publicKey, setPublicKey] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setError(undefined);
    const parsed = signingKeyRequestSchema.safeParse({ publicKey });
    if (!parsed.success) {
      setError(zodIssues(parsed.error.issues, { publicKey: 'Public key' }));
      return;
    }
    setSaving(true);
    try {
      await api.putMySigningKey(parsed.data.publicKey);
      setEditing(false);
      setPublicKey('');
      key.retry();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const showForm = editing || (!key.loading && !key.error && !key.value);

  return (
    <InfoCard title="Signing key">
      {key.loading && <Progress />}
      {key.error && (
        <Typography color="error" role="alert">
          {errorMessage(key.error)}
        </Typography>
      )}
      {key.value && (
        <Box mb={showForm ? 2 : 0}>
          <Typography variant="body2">
            Registered fingerprint: <Mono>{key.value.fingerprint}</Mono>
          </Typography>
          <Typography variant="caption" color="textSecondary">
            registered {formatTime(key.value.createdAt)}
            {key.value.updatedAt && key.value.updatedAt !== key.value.createdAt
              ? `, replaced ${formatTime(key.value.updatedAt)}`
              : ''}
          </Typography>
          {!editing && (
            <Box mt={1}>
              <Button size="small" onClick={() => setEditing(true)}>
                Replace key
              </Button>
            </Box>
          )}
        </Box>
      )}
      {showForm && (
        <>
          <Typography variant="body2" paragraph>
            {key.value
              ? 'Paste the new key; approvals you sign from now on are checked against it.'
              : 'No key registered. Production approvals need a signature made with a registered key.'}{' '}
            Export it with <Mono>gpg --armor --export &lt;your key id&gt;</Mono>
            .
          </Typography>
          <TextField
            id="approvals-signing-key"
            label="Armored OpenPGP public key"
            multiline
            minRows={4}
            fullWidth
            variant="outlined"
            value={publicKey}
            onChange={e => setPublicKey(e.target.value)}
            inputProps={{ style: { fontFamily: 'monospace' } }}
          />
          {error && (
            <Typography
              color="error"
              role="alert"
              style={{ whiteSpace: 'pre-line', marginTop: 8 }}
            >
              {error}
            </Typography>
          )}
          <Box mt={1} display="flex" style={{ gap: 8 }}>
            <Button
              color="primary"
              variant="contained"
              disabled={saving}
              onClick={save}
            >
              {key.value ? 'Replace key' : 'Register key'}
            </Button>
            {editing && (
              <Button
                onClick={() => {
                  setEditing(false);
                  setError(undefined);
                }}
              >
                Cancel
              </Button>
            )}
          </Box>
        </>
      )}
    </InfoCard>
  );
}

/** Operators can check the whole audit hash chain from the page. */
export function AuditVerifyPanel() {
  const { allowed } = usePermission({
    permission: approvalsAuditVerifyPermission,
  });
  const api = useApi(approvalsApiRef);
  const [result, setResult] = useState<AuditChainVerification>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!allowed) return null;

  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.verifyAudit());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Audit chain">
      <Button variant="outlined" disabled={busy} onClick={verify}>
        Verify audit chain
      </Button>
      {result && (
        <Typography
          variant="body2"
          style={{ marginTop: 8 }}
          color={result.ok ? 'textPrimary' : 'error'}
        >
          {result.ok
            ? `Intact: ${result.checked} records checked.`
            : `Broken at record ${result.firstBroken?.seq}${
                result.firstBroken?.id ? ` (${result.firstBroken.id})` : ''
              }: ${result.firstBroken?.reason} (${result.checked} checked).`}
        </Typography>
      )}
      {error && (
        <Typography color="error" role="alert" style={{ marginTop: 8 }}>
          {error}
        </Typography>
      )}
    </InfoCard>
  );
}
