import { CopyTextButton } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

/** The command an approver runs to sign a proposal's digest (the bytes of the hex string). */
export function signCommand(digest: string): string {
  return `printf %s ${digest} | gpg --armor --detach-sign`;
}

function CopyableLine(props: { label: string; text: string; testId: string }) {
  const { label, text, testId } = props;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography
        variant="body2"
        color="text.secondary"
        style={{ minWidth: 90 }}
      >
        {label}
      </Typography>
      <code
        data-testid={testId}
        style={{ fontSize: '0.9em', wordBreak: 'break-all', flex: 1 }}
      >
        {text}
      </code>
      <CopyTextButton text={text} aria-label={`Copy ${label.toLowerCase()}`} />
    </Box>
  );
}

/** The digest approvers sign, and the exact command that signs it. */
export function DigestBox({ digest }: { digest: string }) {
  return (
    <Box>
      <CopyableLine label="Digest" text={digest} testId="proposal-digest" />
      <CopyableLine
        label="Sign with"
        text={signCommand(digest)}
        testId="proposal-sign-command"
      />
    </Box>
  );
}
