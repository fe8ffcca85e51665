import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Link,
  MarkdownContent,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { EvidencePacketView } from '@internal/plugin-evidence-common';
import { evidenceApiRef } from '../api/EvidenceApi';
import { FileBrowser, PreviewDialog } from './FileBrowser';
import {
  Mono,
  RefLink,
  VerdictChip,
  errorMessage,
  formatBytes,
  formatTime,
  packetKindLabel,
  showInvisibleCharacters,
  UserText,
} from './common';

/**
 * What the packet says it is (packet.json `kind`). Only a verified packet's packet.json is
 * covered by a valid signature, so on any other the kind is said to be unsigned.
 */
function KindFact({ packet }: { packet: EvidencePacketView }) {
  if (!packet.kind) return <>none declared in packet.json</>;
  return (
    <>
      {packetKindLabel(packet.kind)} <Mono>{`"kind": "${packet.kind}"`}</Mono>
      {packet.verdict === 'verified' ? null : (
        <Typography variant="caption" display="block" color="error">
          Not covered by a valid signature ({packet.verdict}): approvals does
          not count it.
        </Typography>
      )}
    </>
  );
}

function Facts({ packet }: { packet: EvidencePacketView }) {
  const rows: Array<[string, React.ReactNode]> = [
    ['Verdict', <VerdictChip verdict={packet.verdict} />],
    ['Packet', <Mono>{packet.key}</Mono>],
    ['Taken at', formatTime(packet.timestamp)],
    ['Kind', <KindFact packet={packet} />],
    ['Tenant', packet.tenant ? <RefLink entityRef={packet.tenant} /> : '—'],
    ['Result', packet.result ?? '—'],
    [
      'Source',
      <Mono>
        <UserText text={`${packet.source}: ${packet.path}`} />
      </Mono>,
    ],
    [
      'Manifest',
      packet.manifestFormat ? (
        <Mono>{`${packet.manifestFormat}, sha256 ${packet.manifestSha256?.slice(
          0,
          16,
        )}…`}</Mono>
      ) : (
        'none'
      ),
    ],
    ['Files', `${packet.fileCount} (${formatBytes(packet.totalBytes)})`],
    ['Verified at', formatTime(packet.verifiedAt)],
  ];
  return (
    <Table size="small" aria-label="Packet facts">
      <TableBody>
        {rows.map(([k, v]) => (
          <TableRow key={k}>
            <TableCell component="th" style={{ width: 140 }}>
              {k}
            </TableCell>
            <TableCell>{v}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Signatures({ packet }: { packet: EvidencePacketView }) {
  if (packet.signatures.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No signature over the manifest.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {packet.signers.length} of {packet.requiredSigners} required distinct
        signer(s)
        {packet.requiredSigners > 1 ? ' (dual control)' : ''}.
      </Typography>
      <Table size="small" aria-label="Signatures">
        <TableHead>
          <TableRow>
            <TableCell>Signer</TableCell>
            <TableCell>Signed at</TableCell>
            <TableCell>Key</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {packet.signatures.map((s, i) => (
            <TableRow key={`${s.file}-${s.keyId}-${i}`}>
              <TableCell>
                {s.signer ? <RefLink entityRef={s.signer} /> : 'unknown key'}
              </TableCell>
              <TableCell>{formatTime(s.signedAt)}</TableCell>
              <TableCell>
                <Mono>{s.fingerprint ?? s.keyId}</Mono>
                {s.keySource ? ` (${s.keySource})` : ''}
              </TableCell>
              <TableCell>{s.status}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary">
        A signature counts with an active key of the signer's own, registered
        with proof of possession in the{' '}
        <Link to="/approvals">Signing key panel on the Approvals page</Link>.
      </Typography>
    </>
  );
}

/** RFC 3161 timestamps over the manifest: when an independent authority saw it. */
function Timestamps({ packet }: { packet: EvidencePacketView }) {
  // Rows indexed before timestamps were verified carry none until the next rescan.
  const timestamps = packet.timestamps ?? [];
  if (timestamps.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No RFC 3161 timestamp over the manifest (optional).
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Timestamps">
      <TableHead>
        <TableRow>
          <TableCell>Authority</TableCell>
          <TableCell>Stamped at</TableCell>
          <TableCell>Hash</TableCell>
          <TableCell style={{ whiteSpace: 'nowrap' }}>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {timestamps.map(t => (
          <TableRow key={t.file}>
            <TableCell>
              {t.authority ?? t.tsa ?? 'unknown'}
              {t.authority && t.tsa ? (
                <Typography variant="caption" display="block">
                  {t.tsa}
                </Typography>
              ) : null}
            </TableCell>
            <TableCell>{t.time ? formatTime(t.time) : '—'}</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {t.hashAlgorithm ?? '—'}
            </TableCell>
            <TableCell>
              {t.status}
              {t.problem ? (
                <Typography variant="caption" display="block">
                  {t.problem}
                </Typography>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Everything about one packet: verdict and reasons, summary, signatures, steps, files, markers. */
export function PacketDetails({ packetId }: { packetId: string }) {
  const api = useApi(evidenceApiRef);
  const [preview, setPreview] = useState<string>();
  const {
    value: packet,
    loading,
    error,
  } = useAsync(() => api.getPacket(packetId), [api, packetId]);
  if (loading) return <Progress />;
  if (error || !packet) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load the packet"
        message={errorMessage(error)}
      />
    );
  }
  return (
    <Grid container spacing={2} data-testid="packet-details">
      <Grid item xs={12} md={5}>
        <InfoCard title={showInvisibleCharacters(packet.title ?? packet.key)}>
          <Facts packet={packet} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Why this verdict">
          {packet.reasons.length === 0 ? (
            <Typography variant="body2">
              Every file matches the manifest, the manifest is signed by
              registered keys, and no secret-like content was found.
            </Typography>
          ) : (
            <List dense aria-label="Reasons">
              {packet.reasons.map((r, i) => (
                <ListItem key={`${r.code}-${i}`}>
                  <ListItemText
                    primary={<UserText text={r.message} />}
                    secondary={r.code}
                  />
                </ListItem>
              ))}
            </List>
          )}
        </InfoCard>
        <div style={{ height: 16 }} />
        <InfoCard title="Signatures">
          <Signatures packet={packet} />
        </InfoCard>
        <div style={{ height: 16 }} />
        <InfoCard title="Timestamps">
          <Timestamps packet={packet} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Summary" subheader={packet.summary?.path}>
          {packet.summary ? (
            <div data-testid="packet-summary">
              {packet.summary.masked && (
                <Typography variant="body2" color="error">
                  Secret-like values in the summary are masked.
                </Typography>
              )}
              <MarkdownContent content={packet.summary.text} />
            </div>
          ) : (
            <Typography variant="body2" color="text.secondary">
              The packet has no summary.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      {packet.steps.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Steps">
            <Table size="small" aria-label="Steps">
              <TableHead>
                <TableRow>
                  <TableCell>Step</TableCell>
                  <TableCell>Exit code</TableCell>
                  <TableCell>Output</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {packet.steps.map(s => (
                  <TableRow key={s.name}>
                    <TableCell>
                      <Mono>{s.name}</Mono>
                    </TableCell>
                    <TableCell>{s.exitCode ?? '—'}</TableCell>
                    <TableCell>
                      {s.stdout && (
                        <Button
                          size="small"
                          onClick={() => setPreview(s.stdout)}
                        >
                          stdout
                        </Button>
                      )}
                      {s.stderr && (
                        <Button
                          size="small"
                          onClick={() => setPreview(s.stderr)}
                        >
                          stderr
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12} md={8}>
        <InfoCard title="Files">
          <FileBrowser
            packetId={packet.id}
            files={packet.files}
            onPreview={setPreview}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Acceptance markers citing this packet">
          {packet.markers.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              No acceptance marker cites this packet.
            </Typography>
          ) : (
            <List dense aria-label="Acceptance markers">
              {packet.markers.map(m => (
                <ListItem key={`${m.source}:${m.path}`}>
                  <ListItemText
                    primary={<UserText text={m.title} />}
                    secondary={showInvisibleCharacters(
                      `${m.source}: ${m.path}`,
                    )}
                  />
                </ListItem>
              ))}
            </List>
          )}
        </InfoCard>
      </Grid>
      <PreviewDialog
        packetId={packet.id}
        path={preview}
        onClose={() => setPreview(undefined)}
      />
    </Grid>
  );
}
