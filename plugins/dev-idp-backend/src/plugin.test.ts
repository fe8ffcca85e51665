import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { devIdpPlugin } from './plugin';
import { Browser } from './__testUtils__/Browser';

// The plugin on a real (test) backend, driven as an OpenID Connect client would drive it, without
// Backstage's auth backend: authorize -> our login form -> code -> token -> userinfo.

const client = { id: 'portal', secret: 'portal-client-secret-for-tests' };
const users = [
  {
    username: 'olivia.operator',
    password: 'right-password',
    name: 'Olivia Operator',
    email: 'olivia.operator@samakia.example',
  },
  {
    username: 'tara.tenant',
    password: 'tara-password',
    name: 'Tara Tenant',
    email: 'tara.tenant@samakia.example',
  },
];

describe('devIdpPlugin', () => {
  let baseUrl: string;
  let issuer: string;
  let redirectUri: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        devIdpPlugin,
        mockServices.rootConfig.factory({
          data: { devIdp: { client, users } },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    baseUrl = `http://localhost:${port}`;
    issuer = `${baseUrl}/api/dev-idp`;
    redirectUri = `${baseUrl}/api/auth/oidc/handler/frame`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  function authorizeUrl(state: string) {
    const params = new URLSearchParams({
      client_id: client.id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile email',
      state,
      nonce: randomBytes(8).toString('hex'),
    });
    return `${issuer}/auth?${params}`;
  }

  async function startLogin(browser: Browser) {
    const state = randomBytes(8).toString('hex');
    const login = await browser.follow(authorizeUrl(state), redirectUri);
    const html = await login.res.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action)
      throw new Error(`no login form at ${login.url}: ${html.slice(0, 200)}`);
    return {
      state,
      login,
      html,
      action: new URL(action, login.url).toString(),
    };
  }

  it('serves discovery for an issuer derived from the backend base URL', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.issuer).toBe(issuer);
    expect(doc.token_endpoint).toBe(`${issuer}/token`);
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining([
        'email',
        'email_verified',
        'name',
        'preferred_username',
      ]),
    );
  });

  it('shows its own login page listing the users', async () => {
    const { login, html } = await startLogin(new Browser());
    expect(login.res.status).toBe(200);
    expect(login.res.headers.get('cache-control')).toBe('no-store');
    expect(new URL(login.url).pathname).toMatch(
      /^\/api\/dev-idp\/interaction\/[\w-]+$/,
    );
    expect(html).toContain('Sign in to Fabric ID');
    for (const user of users) expect(html).toContain(user.username);
    // Passwords are never rendered.
    expect(html).not.toContain('right-password');
  });

  it('completes the authorization-code flow: tokens, refresh token and userinfo claims', async () => {
    const browser = new Browser();
    const { state, action } = await startLogin(browser);
    const done = await browser.follow(action, redirectUri, {
      method: 'POST',
      form: { username: 'olivia.operator', password: 'right-password' },
    });
    const callback = new URL(done.url);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const basic = Buffer.from(`${client.id}:${client.secret}`).toString(
      'base64',
    );
    const tokenRes = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
      }).toString(),
    });
    expect(tokenRes.status).toBe(200);
    const tokens = await tokenRes.json();
    expect(tokens.id_token).toEqual(expect.any(String));
    // Backstage keeps sessions alive with it, without asking for offline_access.
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const idClaims = JSON.parse(
      Buffer.from(tokens.id_token.split('.')[1], 'base64url').toString(),
    );
    expect(idClaims).toMatchObject({
      iss: issuer,
      aud: client.id,
      sub: 'olivia.operator',
    });

    const me = await fetch(`${issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await me.json()).toEqual({
      sub: 'olivia.operator',
      preferred_username: 'olivia.operator',
      name: 'Olivia Operator',
      email: 'olivia.operator@samakia.example',
      email_verified: true,
    });

    const refreshed = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }).toString(),
    });
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json()).access_token).toEqual(expect.any(String));

    // A confidential client: nobody refreshes without the client secret.
    const stolen = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: client.id,
      }).toString(),
    });
    expect(stolen.status).toBe(401);
  });

  it('refuses a wrong password or an unknown user with the same message', async () => {
    for (const [username, password] of [
      ['olivia.operator', 'tara-password'],
      ['nobody', 'right-password'],
    ]) {
      const browser = new Browser();
      const { action } = await startLogin(browser);
      const res = await browser.request(action, {
        method: 'POST',
        form: { username, password },
      });
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain('Wrong username or password.');
      expect(html).toContain(`value="${username}"`);
    }
  });

  it('answers a login post without its interaction cookie with 400', async () => {
    const { action } = await startLogin(new Browser());
    const res = await new Browser().request(action, {
      method: 'POST',
      form: { username: 'olivia.operator', password: 'right-password' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in expired');
  });

  it('generates a fresh signing key per start, publishing only its public half', async () => {
    const jwks = await (await fetch(`${issuer}/jwks`)).json();
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      expect(key).not.toHaveProperty(secret);
    }

    // No key material is configured or committed: another start has another key.
    const other = await startTestBackend({
      features: [
        devIdpPlugin,
        mockServices.rootConfig.factory({
          data: { devIdp: { client, users } },
        }),
      ],
    });
    try {
      const { port } = other.server.address() as AddressInfo;
      const otherJwks = await (
        await fetch(`http://localhost:${port}/api/dev-idp/jwks`)
      ).json();
      expect(otherJwks.keys[0].kid).not.toBe(key.kid);
      expect(otherJwks.keys[0].n).not.toBe(key.n);
    } finally {
      await other.stop();
    }
  });
});
