import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  challengeSignCommand,
  signingKeyManagePermission,
  signingKeyRegistrationSchema,
  type SigningKeyChallenge,
  type SigningKeyInfo,
  type SigningKeyStatus,
} from '@internal/plugin-fabric-common';
import { ColouredChip, errorMessage, formatTime, Mono } from '../format';
import { signingKeysApiRef } from './SigningKeysClient';

const STATUS_COLOUR: Record<SigningKeyStatus, { bg: string; fg: string }> = {
  active: { bg: '#e8f5e9', fg: '#1b5e20' },
  unproven: { bg: '#fff3e0', fg: '#8a4b00' },
  conflict: { bg: '#ffebee', fg: '#b71c1c' },
  revoked: { bg: '#eeeeee', fg: '#424242' },
};

const LABELS: Record<string, string> = {
  publicKey: 'Public key',
  signature: 'Signature',
  challengeId: 'Challenge',
};

/**
 * The user's OpenPGP signing key, for production approvals and evidence manifests alike (one
 * registry). Registering proves possession: the user signs a fresh challenge with the key.
 */
export function SigningKeyPanel() {
  const { allowed } = usePermission({ permission: signingKeyManagePermission });
  if (!allowed) return null;
  return <SigningKeyCard />;
}

function KeyRow(props: { keyInfo: SigningKeyInfo }) {
  const k = props.keyInfo;
  return (
    <Box mb={1} data-testid={`signing-key-${k.status}`}>
      <Typography variant="body2">
        Fingerprint: <Mono>{k.fingerprint}</Mono>{' '}
        <ColouredChip label={k.status} colour={STATUS_COLOUR[k.status]} />
      </Typography>
      <Typography variant="caption" color="text.secondary">
        registered {formatTime(k.createdAt)}
        {k.legacySource
          ? ` (imported from the old ${k.legacySource} keys)`
          : ''}
      </Typography>
      {k.statusMessage && (
        <Typography variant="body2" color="error">
          {k.statusMessage}
        </Typography>
      )}
    </Box>
  );
}

function SigningKeyCard() {
  const api = useApi(signingKeysApiRef);
  const keys = useAsyncRetry(() => api.listMine(), [api]);
  const [challenge, setChallenge] = useState<SigningKeyChallenge>();
  const [publicKey, setPublicKey] = useState('');
  const [signature, setSignature] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const register = () =>
    run(async () => {
      const parsed = signingKeyRegistrationSchema.safeParse({
        publicKey,
        challengeId: challenge?.id,
        signature,
      });
      if (!parsed.success) {
        setError(
          parsed.error.issues
            .map(
              i =>
                `${LABELS[String(i.path[0])] ?? i.path.join('.')}: ${
                  i.message
                }`,
            )
            .join('\n'),
        );
        return;
      }
      await api.register(parsed.data);
      setChallenge(undefined);
      setPublicKey('');
      setSignature('');
      keys.retry();
    });

  const current = (keys.value ?? []).filter(k => k.status !== 'revoked');
  const active = current.find(k => k.status === 'active');

  return (
    <InfoCard title="Signing key">
      {keys.loading && <Progress />}
      {keys.error && (
        <Typography color="error" role="alert">
          {errorMessage(keys.error)}
        </Typography>
      )}
      {current.map(k => (
        <KeyRow key={k.id} keyInfo={k} />
      ))}
      {!keys.loading && !keys.error && !active && (
        <Typography variant="body2" paragraph>
          No active key. Production approvals and evidence manifests are trusted
          only when signed with a key you registered here.
        </Typography>
      )}
      {current.length > 0 && !challenge && (
        <Box mb={2}>
          <Button
            size="small"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await api.revokeMine();
                keys.retry();
              })
            }
          >
            Revoke
          </Button>
        </Box>
      )}
      {!challenge ? (
        <Button
          color="primary"
          variant={active ? 'outlined' : 'contained'}
          disabled={busy}
          onClick={() =>
            run(async () => setChallenge(await api.createChallenge()))
          }
        >
          {active ? 'Replace key: get challenge' : 'Get challenge'}
        </Button>
      ) : (
        <>
          <Typography variant="body2">
            1. Sign this challenge (valid until{' '}
            {formatTime(challenge.expiresAt)}) with the key you register:
          </Typography>
          <Box
            my={1}
            p={1}
            bgcolor="#f5f5f5"
            data-testid="signing-key-challenge"
          >
            <Mono>{challenge.text}</Mono>
          </Box>
          <Typography variant="body2">For example:</Typography>
          <Box my={1} p={1} bgcolor="#f5f5f5" data-testid="signing-key-command">
            <Mono>{challengeSignCommand(challenge.text)}</Mono>
          </Box>
          <Typography variant="body2">
            2. Paste the public key (
            <Mono>gpg --armor --export &lt;your key id&gt;</Mono>) and the
            signature, then register.
          </Typography>
          <TextField
            id="signing-key-public-key"
            label="Armored OpenPGP public key"
            multiline
            minRows={3}
            fullWidth
            margin="dense"
            variant="outlined"
            value={publicKey}
            onChange={e => setPublicKey(e.target.value)}
            inputProps={{ style: { fontFamily: 'monospace' } }}
          />
          <TextField
            id="signing-key-signature"
            label="Armored signature of the challenge"
            multiline
            minRows={3}
            fullWidth
            margin="dense"
            variant="outlined"
            value={signature}
            onChange={e => setSignature(e.target.value)}
            inputProps={{ style: { fontFamily: 'monospace' } }}
          />
          <Box mt={1} display="flex" style={{ gap: 8 }}>
            <Button
              color="primary"
              variant="contained"
              disabled={busy}
              onClick={register}
            >
              Register key
            </Button>
            <Button
              disabled={busy}
              onClick={() => {
                setChallenge(undefined);
                setError(undefined);
              }}
            >
              Cancel
            </Button>
          </Box>
        </>
      )}
      {error && (
        <Typography
          color="error"
          role="alert"
          style={{ whiteSpace: 'pre-line', marginTop: 8 }}
        >
          {error}
        </Typography>
      )}
    </InfoCard>
  );
}
