import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  approvalsAuditVerifyPermission,
  type AuditChainVerification,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { errorMessage } from './common';

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
          color={result.ok ? 'text.primary' : 'error'}
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
