import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { Provider, type Configuration } from 'oidc-provider';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DevIdpConfig, DevIdpUser } from '../config';
import { InMemoryAdapter, InMemoryStore } from './InMemoryAdapter';
import { renderErrorPage } from './pages';

export interface DevIdpOptions {
  /** The issuer URL, i.e. where the plugin is mounted (`<backend>/api/dev-idp`). */
  issuer: string;
  /** Where the Backstage auth backend receives the code (`<backend>/api/auth/oidc/handler/frame`). */
  redirectUri: string;
  config: DevIdpConfig;
  logger: LoggerService;
}

export interface DevIdp {
  provider: Provider;
  /** The path the issuer lives under, e.g. `/api/dev-idp`. */
  mountPath: string;
  users: DevIdpUser[];
  /** The user whose username and password these are, or undefined. */
  authenticate(username: string, password: string): DevIdpUser | undefined;
}

const HOUR = 60 * 60;

/** A fresh RSA signing key for this process only: no key material is ever stored. */
function ephemeralSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomUUID(),
    alg: 'RS256',
    use: 'sig',
  };
}

function digest(value: string) {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Builds the oidc-provider instance: one confidential client (the portal's auth backend), the
 * configured users as accounts, keys and cookie secrets generated now, state in memory.
 */
export function createDevIdp(options: DevIdpOptions): DevIdp {
  const { issuer, redirectUri, config, logger } = options;
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '');
  const users = new Map(config.users.map(u => [u.username, u]));
  const store = new InMemoryStore();

  const configuration: Configuration = {
    adapter: (model: string) => new InMemoryAdapter(model, store),
    clients: [
      {
        client_id: config.client.id,
        client_secret: config.client.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [ephemeralSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    features: {
      // The library's built-in login screen accepts any name without a password; ours checks.
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    interactions: {
      url: async (_ctx, interaction) =>
        `${mountPath}/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        async claims() {
          return {
            sub: user.username,
            preferred_username: user.username,
            name: user.name,
            email: user.email,
            // The addresses come from our own configuration, so they are verified by definition;
            // Backstage only trusts emails that say so.
            email_verified: true,
          };
        },
      };
    },
    // Backstage keeps the session alive with a refresh token; issue one without asking for
    // offline_access, which oidc-provider would only honour together with prompt=consent.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderErrorPage(
        'Sign-in failed',
        String(out.error_description ?? out.error ?? 'Unknown error'),
      );
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Grant: 8 * HOUR,
      Session: 8 * HOUR,
      RefreshToken: 8 * HOUR,
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (_ctx, error) => {
    logger.error(`dev IdP server error: ${error}`);
  });
  provider.on('grant.error', (_ctx, error) => {
    logger.warn(`dev IdP refused a token request: ${error}`);
  });

  return {
    provider,
    mountPath,
    users: config.users,
    authenticate(username, password) {
      const user = users.get(username);
      // Compare digests in constant time, and compare even for unknown names.
      const matches = timingSafeEqual(
        digest(password),
        digest(user?.password ?? randomUUID()),
      );
      return user && matches ? user : undefined;
    },
  };
}
