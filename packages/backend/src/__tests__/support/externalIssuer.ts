import { randomBytes } from 'node:crypto';
import http from 'node:http';
// Test support, never part of the bundle: development dependencies are right here.
// eslint-disable-next-line @backstage/no-undeclared-imports
import express from 'express';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { mockServices } from '@backstage/backend-test-utils';
import {
  createDevIdp,
  createRouter as createIdpRouter,
} from '@internal/plugin-dev-idp-backend';
import { freePort } from './bootBackend';
import { frameResponse, oidcSignIn } from './oidcFlow';

export const ISSUER_PASSWORD = 'issuer-password';

/**
 * Stands in for the production issuer (Keycloak, ...): an OpenID Connect provider on its own
 * port and path, outside the backend, knowing `users` (catalog user names; their catalog e-mail
 * is `<name>@samakia.example`, which the production sign-in resolver matches).
 */
export async function startExternalIssuer(
  portalBaseUrl: string,
  users: string[],
) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/realms/fabric`;
  const client = {
    id: 'fabric-portal-prod',
    secret: randomBytes(24).toString('hex'),
  };
  const logger = mockServices.logger.mock();
  const idp = createDevIdp({
    issuer,
    redirectUri: `${portalBaseUrl}/api/auth/oidc/handler/frame`,
    config: {
      client,
      users: users.map(username => ({
        username,
        password: ISSUER_PASSWORD,
        name: username,
        email: `${username}@samakia.example`,
      })),
    },
    logger,
  });
  const app = express();
  app.use('/realms/fabric', await createIdpRouter({ devIdp: idp, logger }));
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    client,
    /** The FABRIC_OIDC_* variables of the production profile for this issuer. */
    env: {
      FABRIC_OIDC_METADATA_URL: `${issuer}/.well-known/openid-configuration`,
      FABRIC_OIDC_CLIENT_ID: client.id,
      FABRIC_OIDC_CLIENT_SECRET: client.secret,
    },
    /** Signs `username` in to the portal at `backendUrl`; returns the Backstage token. */
    async signIn(backendUrl: string, username: string): Promise<string> {
      const { submitted } = await oidcSignIn({
        backendUrl,
        env: 'production',
        username,
        password: ISSUER_PASSWORD,
      });
      return frameResponse(submitted).response.backstageIdentity.token;
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
