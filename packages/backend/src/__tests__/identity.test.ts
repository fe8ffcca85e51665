import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import {
  browse,
  CookieJar,
  frameResponse,
  oidcSignIn,
} from './support/oidcFlow';
import {
  editState,
  foreignRedirectUrls,
  signInUntilCallback,
} from './support/openRedirect';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// The local default profile signs in through a real OpenID Connect authorization-code flow:
// Backstage's oidc provider -> the development identity provider (/api/dev-idp) -> back to
// Backstage, which resolves the verified email to the catalog User and its groups.

jest.setTimeout(180_000);

const devToken = CI_TOKEN;
const devPassword = 'fabric-dev';
const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);

describe('sign-in on the local default profile', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
        // The configured users plus one the identity provider knows but the catalog does not.
        devIdp: {
          users: [
            ...appConfig.devIdp.users,
            {
              username: 'nora.nobody',
              password: devPassword,
              name: 'Nora Nobody',
              email: 'nora.nobody@samakia.example',
            },
          ],
        },
      }),
    });
    await waitFor('the catalog users', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=user`,
        { headers: { Authorization: `Bearer ${devToken}` } },
      );
      const body = await res.json();
      return body.items?.length >= 10 ? body : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves the development issuer discovery document and its public key', async () => {
    const issuer = `${backend.baseUrl}/api/dev-idp`;
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const discovery = await res.json();
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
    });
    expect(discovery.response_types_supported).toContain('code');
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );

    const jwks = await (await fetch(discovery.jwks_uri)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      alg: 'RS256',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs an operator in as the catalog user, with its groups, and keeps the session', async () => {
    const { jar, login, submitted } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'olivia.operator',
      password: devPassword,
    });
    // The login page is the identity provider's own and lists the development users.
    expect(login.url.pathname).toMatch(/^\/api\/dev-idp\/interaction\//);
    expect(login.body).toContain('oscar.operator');
    expect(login.body).toContain('tara.tenant');

    expect(submitted.url.pathname).toBe('/api/auth/oidc/handler/frame');
    const message = frameResponse(submitted);
    expect(message.type).toBe('authorization_response');
    const { backstageIdentity, profile } = message.response;
    expect(profile).toMatchObject({
      displayName: 'Olivia Operator',
      email: 'olivia.operator@samakia.example',
    });
    expect(backstageIdentity.identity.userEntityRef).toBe(
      'user:default/olivia.operator',
    );
    expect(backstageIdentity.identity.ownershipEntityRefs).toEqual(
      expect.arrayContaining([
        'user:default/olivia.operator',
        'group:default/platform-operators',
        'group:default/approvers',
      ]),
    );

    // The issued Backstage token is accepted by the other plugins.
    const me = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/user/default/olivia.operator`,
      { headers: { Authorization: `Bearer ${backstageIdentity.token}` } },
    );
    expect(me.status).toBe(200);

    // A page reload restores the session through the refresh-token cookie, without a popup.
    const refreshUrl = new URL(
      `${backend.baseUrl}/api/auth/oidc/refresh?env=development&optional`,
    );
    const refresh = await fetch(refreshUrl, {
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        cookie: jar.header(refreshUrl),
      },
    });
    expect(refresh.status).toBe(200);
    const refreshed = await refresh.json();
    expect(refreshed.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/olivia.operator',
    );
  });

  it('signs a tenant member in with only the tenant team', async () => {
    const { submitted } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'tara.tenant',
      password: devPassword,
    });
    const { identity } = frameResponse(submitted).response.backstageIdentity;
    expect(identity.userEntityRef).toBe('user:default/tara.tenant');
    expect(identity.ownershipEntityRefs).toContain('group:default/team-birds');
    expect(identity.ownershipEntityRefs).not.toContain(
      'group:default/platform-operators',
    );
  });

  it('answers a wrong password with an error on the login page and no code', async () => {
    const { login, submitted } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'olivia.operator',
      password: 'not-the-password',
    });
    expect(submitted.res.status).toBe(401);
    expect(submitted.url.pathname).toBe(`${login.url.pathname}/login`);
    expect(submitted.body).toContain('Wrong username or password.');
    expect(submitted.body).toContain('value="olivia.operator"');
  });

  it('stops a burst of password guesses: after five failures even the right password waits', async () => {
    // hugo.harbor signs in nowhere else in this file; the lockout is per account (and per
    // address after twenty failures, which this file stays below).
    const jar = new CookieJar();
    const { login } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'hugo.harbor',
      password: 'guess-0',
      jar,
    });
    const post = (password: string) =>
      browse(jar, `${login.url}/login`, {
        method: 'POST',
        form: { username: 'hugo.harbor', password },
      });
    for (let i = 1; i < 5; i++)
      expect((await post(`guess-${i}`)).res.status).toBe(401);
    const locked = await post(devPassword);
    expect(locked.res.status).toBe(429);
    const retryAfter = Number(locked.res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(locked.body).toContain('Too many failed sign-in attempts');
  });

  it('answers an empty form with 400 naming the missing field', async () => {
    const jar = new CookieJar();
    const { login } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'olivia.operator',
      password: 'wrong',
      jar,
    });
    const empty = await browse(jar, `${login.url}/login`, {
      method: 'POST',
      form: { username: 'olivia.operator', password: '' },
    });
    expect(empty.res.status).toBe(400);
    expect(empty.body).toContain('Enter your password.');
  });

  describe('redirectUrl of the redirect flow', () => {
    const app = new URL(appConfig.app.baseUrl).origin;

    it.each(foreignRedirectUrls(app))(
      'refuses to start a sign-in that would end at %s',
      async redirectUrl => {
        const query = new URLSearchParams({
          env: 'development',
          scope: 'openid',
          flow: 'redirect',
          redirectUrl,
        });
        const res = await fetch(
          `${backend.baseUrl}/api/auth/oidc/start?${query}`,
          { redirect: 'manual' },
        );
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect((await res.json()).error.message).toMatch(
          /redirectUrl is not allowed/,
        );
      },
    );

    it('refuses a redirectUrl given twice', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/auth/oidc/start?env=development&flow=redirect&redirectUrl=${app}/&redirectUrl=https://evil.example/`,
        { redirect: 'manual' },
      );
      expect(res.status).toBe(400);
    });

    it('ends a real sign-in on the page of the app it was asked for', async () => {
      const target = `${app}/catalog?filters%5Bkind%5D=component`;
      const { callback, finish } = await signInUntilCallback({
        backendUrl: backend.baseUrl,
        env: 'development',
        username: 'olivia.operator',
        password: devPassword,
        redirectUrl: target,
      });
      const done = await finish(callback);
      expect(done.res.status).toBe(302);
      expect(done.url.toString()).toBe(target);
    });

    it('refuses a callback whose state was edited to leave the app', async () => {
      const { callback, finish } = await signInUntilCallback({
        backendUrl: backend.baseUrl,
        env: 'development',
        username: 'olivia.operator',
        password: devPassword,
        redirectUrl: `${app}/`,
      });
      // Same nonce (so the nonce cookie matches), another destination.
      const tampered = new URL(callback);
      tampered.searchParams.set(
        'state',
        editState(callback.searchParams.get('state')!, params =>
          params.set('redirectUrl', 'https://evil.example/phish'),
        ),
      );
      const done = await finish(tampered);
      expect(done.url.origin).toBe(backend.baseUrl);
      expect(done.res.status).toBe(400);
      expect(done.body).toMatch(/redirectUrl is not allowed/);
    });
  });

  it('refuses a user the identity provider knows but the catalog does not', async () => {
    const { submitted } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'nora.nobody',
      password: devPassword,
    });
    const message = frameResponse(submitted);
    expect(message.type).toBe('authorization_response');
    expect(message.response).toBeUndefined();
    expect(message.error.message).toMatch(/user|catalog|not found/i);
  });
});
