import { Config } from '@backstage/config';
import { parseConfigBlock } from '@internal/plugin-fabric-common';
import { z } from 'zod';
import type { GuardedActionSettings } from '../actions/guardedRun';

const schema = z.strictObject({
  execute: z
    .boolean({ error: 'must be true or false' })
    .default(false)
    .describe('Run the commands for real; otherwise runs are dry runs'),
  signingKey: z
    .string()
    .regex(/^[A-Fa-f0-9]{16,40}$/, {
      error: 'must be a gpg key id or fingerprint (16 to 40 hex digits)',
    })
    .optional(),
  gnupgHome: z
    .string({ error: 'must be the path of a gpg home folder' })
    .min(1, { error: 'must be the path of a gpg home folder' })
    .optional()
    .describe(
      'gpg home holding signingKey; gpg uses GNUPGHOME or ~/.gnupg when absent',
    ),
  commandTimeoutSeconds: z
    .number({ error: 'must be a number of seconds, e.g. 60' })
    .int()
    .min(1)
    .max(3600)
    .default(60),
});

/** Reads `fabric.guardedActions`; a bad value stops the start-up with the key and the fix. */
export function readGuardedActionSettings(
  config: Config,
): GuardedActionSettings {
  const data = parseConfigBlock(
    'fabric.guardedActions',
    schema,
    config.getOptional('fabric.guardedActions') ?? {},
  );
  return {
    execute: data.execute,
    signingKey: data.signingKey,
    gnupgHome: data.gnupgHome,
    timeoutMs: data.commandTimeoutSeconds * 1000,
  };
}
