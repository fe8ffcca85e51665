import { useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FilePreview, PacketFile } from '@internal/plugin-evidence-common';
import { evidenceApiRef } from '../api/EvidenceApi';
import {
  Mono,
  UserText,
  errorMessage,
  formatBytes,
  showInvisibleCharacters,
} from './common';

const STATUS_TEXT: Record<PacketFile['status'], string> = {
  ok: 'matches manifest',
  modified: 'MODIFIED',
  missing: 'MISSING',
  extra: 'not in manifest',
  meta: 'manifest / signature',
  unsafe: 'UNSAFE (not read)',
};

/** Text of one file, secret-like values already masked by the backend. */
export function PreviewDialog(props: {
  packetId: string;
  path?: string;
  onClose: () => void;
}) {
  const { packetId, path, onClose } = props;
  const api = useApi(evidenceApiRef);
  const [state, setState] = useState<{ preview?: FilePreview; error?: string }>(
    {},
  );
  useEffect(() => {
    if (!path) return undefined;
    let live = true;
    setState({});
    api.previewFile(packetId, path).then(
      preview => live && setState({ preview }),
      e => live && setState({ error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, packetId, path]);
  return (
    <Dialog
      open={Boolean(path)}
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="evidence-preview-title"
    >
      <DialogTitle id="evidence-preview-title">
        <UserText text={path} />
      </DialogTitle>
      <DialogContent dividers>
        {!state.preview && !state.error && <Progress />}
        {state.error && (
          <WarningPanel
            severity="error"
            title="Could not open the file"
            message={state.error}
          />
        )}
        {state.preview && (
          <>
            {state.preview.masked && (
              <Typography variant="body2" color="error" gutterBottom>
                Secret-like values are masked: the portal never shows them.
              </Typography>
            )}
            <pre
              data-testid="file-preview"
              style={{
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
                margin: 0,
              }}
            >
              {showInvisibleCharacters(state.preview.text) || '(empty)'}
            </pre>
            {state.preview.truncated && (
              <Typography variant="caption" color="text.secondary">
                Only the beginning of the file is shown; download it for the
                rest.
              </Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/** Every file of a packet with its verification status; text preview and download. */
export function FileBrowser(props: {
  packetId: string;
  files: PacketFile[];
  onPreview: (path: string) => void;
}) {
  const { packetId, files, onPreview } = props;
  const api = useApi(evidenceApiRef);
  const [error, setError] = useState<string>();

  const download = async (file: PacketFile) => {
    setError(undefined);
    try {
      const blob = await api.downloadFile(packetId, file.path);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.path.split('/').pop() ?? 'file';
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <>
      {error && (
        <WarningPanel
          severity="error"
          title="Download refused"
          message={error}
        />
      )}
      <Table size="small" aria-label="Packet files">
        <TableHead>
          <TableRow>
            <TableCell>File</TableCell>
            <TableCell>Size</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>sha256</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {files.map(f => {
            const readable = f.status !== 'missing' && f.status !== 'unsafe';
            return (
              <TableRow key={f.path}>
                <TableCell>
                  <Mono>
                    <UserText text={f.path} />
                  </Mono>
                  {f.findings.length > 0 && (
                    <Typography variant="caption" color="error" display="block">
                      {f.findings.length} secret-like value(s):{' '}
                      {[...new Set(f.findings.map(x => x.rule))].join(', ')} at
                      line(s) {f.findings.map(x => x.line).join(', ')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {formatBytes(f.size)}
                </TableCell>
                <TableCell>
                  {f.status === 'meta' && f.kind === 'timestamp'
                    ? 'timestamp'
                    : STATUS_TEXT[f.status]}
                </TableCell>
                <TableCell>
                  <Mono>{f.sha256 ? `${f.sha256.slice(0, 12)}…` : ''}</Mono>
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {readable && f.text && (
                    <Button
                      size="small"
                      onClick={() => onPreview(f.path)}
                      aria-label={`Preview ${f.path}`}
                    >
                      Preview
                    </Button>
                  )}
                  {readable && f.findings.length === 0 && (
                    <Button
                      size="small"
                      onClick={() => download(f)}
                      aria-label={`Download ${f.path}`}
                    >
                      Download
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}
