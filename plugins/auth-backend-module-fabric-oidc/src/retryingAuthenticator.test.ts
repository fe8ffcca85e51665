import { ConfigReader } from '@backstage/config';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { retryDiscoveryAfterFailure } from './retryingAuthenticator';

/** An issuer whose discovery document answers 404 for the first `failures` requests. */
async function flakyIssuer(failures: number) {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    if (requests <= failures) {
      res.writeHead(404).end('not mounted yet');
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        issuer: base,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        userinfo_endpoint: `${base}/me`,
        jwks_uri: `${base}/jwks`,
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    metadataUrl: `${base}/.well-known/openid-configuration`,
    requests: () => requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function initialize(metadataUrl: string, failures: unknown[]) {
  const authenticator = retryDiscoveryAfterFailure(oidcAuthenticator, error =>
    failures.push(error),
  );
  return authenticator.initialize({
    callbackUrl: 'http://127.0.0.1/api/auth/oidc/handler/frame',
    config: new ConfigReader({
      clientId: 'portal',
      clientSecret: 'a-client-secret-for-tests',
      metadataUrl,
    }),
  });
}

async function settle(promise: Promise<unknown>) {
  return promise.then(
    value => ({ ok: true as const, value }),
    error => ({ ok: false as const, error }),
  );
}

describe('retryDiscoveryAfterFailure with the upstream OIDC authenticator', () => {
  it('discovers again after a failed discovery and then uses the issuer', async () => {
    const issuer = await flakyIssuer(1);
    try {
      const failures: unknown[] = [];
      const ctx = initialize(issuer.metadataUrl, failures);

      const first = await settle(ctx.promise);
      expect(first.ok).toBe(false);
      expect(String((first as any).error)).toContain('404');
      expect(failures).toHaveLength(1);

      const second = await settle(ctx.promise);
      expect(second.ok).toBe(true);
      expect(
        (second as any).value.client.issuer.metadata.authorization_endpoint,
      ).toBe(`${issuer.base}/auth`);
      expect(issuer.requests()).toBe(2);
    } finally {
      await issuer.close();
    }
  });

  it('keeps a successful discovery: later uses send no request to the issuer', async () => {
    const issuer = await flakyIssuer(0);
    try {
      const failures: unknown[] = [];
      const ctx = initialize(issuer.metadataUrl, failures);
      await ctx.promise;
      await ctx.promise;
      expect(ctx.initializedPrompt).toBeUndefined();
      expect(ctx.searchParams).toEqual({});
      expect(issuer.requests()).toBe(1);
      expect(failures).toEqual([]);
    } finally {
      await issuer.close();
    }
  });
});
