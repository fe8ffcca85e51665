import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseConfigBlock } from '@internal/plugin-fabric-common';
import { z } from 'zod';

const userSchema = z.object({
  username: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*$/,
      'use lower-case letters, digits, dots, dashes or underscores',
    ),
  password: z.string().min(1, 'must not be empty'),
  name: z.string().min(1, 'must not be empty'),
  email: z.email(),
});

const devIdpConfigSchema = z.object({
  client: z.object({
    id: z.string().min(1, 'must not be empty'),
    secret: z
      .string()
      .min(16, 'must be at least 16 characters (a client secret)'),
  }),
  users: z
    .array(userSchema)
    .min(1, 'list at least one user who can sign in')
    .refine(
      users => new Set(users.map(u => u.username)).size === users.length,
      'usernames must be unique',
    ),
});

export type DevIdpUser = z.infer<typeof userSchema>;
export type DevIdpConfig = z.infer<typeof devIdpConfigSchema>;

/** Reads and validates the `devIdp` section; errors name the key and the fix. */
export function readDevIdpConfig(config: Config): DevIdpConfig {
  const raw = config.getOptional('devIdp');
  if (raw === undefined) {
    throw new InputError(
      'devIdp is missing: the development identity provider needs devIdp.client and devIdp.users (see app-config.yaml)',
    );
  }
  return parseConfigBlock('devIdp', devIdpConfigSchema, raw);
}
