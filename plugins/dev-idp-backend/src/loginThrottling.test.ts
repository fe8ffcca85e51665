import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from './__testUtils__/Browser';
import { createRouter } from './router';
import { createDevIdp } from './service/createDevIdp';
import { LoginThrottle } from './service/LoginThrottle';

// The login form under a burst of password guesses, over real HTTP.

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

describe('password guessing on the login form', () => {
  // The router on a plain HTTP server, with the throttle on a clock the test moves: the
  // lockout's expiry is checked without waiting for it.
  let now = Date.UTC(2030, 0, 1);
  let server: http.Server;
  let issuer: string;
  let redirectUri: string;

  beforeAll(async () => {
    server = http.createServer();
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = server.address() as AddressInfo;
    issuer = `http://127.0.0.1:${port}/idp`;
    redirectUri = `http://127.0.0.1:${port}/callback`;
    const logger = mockServices.logger.mock();
    const devIdp = createDevIdp({
      issuer,
      redirectUri,
      config: { client, users },
      logger,
    });
    const app = express();
    app.use(
      '/idp',
      await createRouter({
        devIdp,
        logger,
        throttle: new LoginThrottle({ now: () => now }),
      }),
    );
    server.on('request', app);
  });

  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
  });

  // Every test guesses from the same address: start each after the counts are forgotten.
  beforeEach(() => {
    now += 16 * 60_000;
  });

  async function loginForm(browser: Browser) {
    const params = new URLSearchParams({
      client_id: client.id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
    });
    const login = await browser.follow(`${issuer}/auth?${params}`, redirectUri);
    const action = (await login.res.text()).match(/action="([^"]+)"/)?.[1];
    if (!action) throw new Error(`no login form at ${login.url}`);
    return new URL(action, login.url).toString();
  }

  it('locks the account after a burst of wrong passwords, right password included, until the lockout ends', async () => {
    const browser = new Browser();
    const action = await loginForm(browser);
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await browser.request(action, {
        method: 'POST',
        form: { username: 'olivia.operator', password: `guess-${i}` },
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const right = { username: 'olivia.operator', password: 'right-password' };
    const refused = await browser.request(action, {
      method: 'POST',
      form: right,
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain(
      'Too many failed sign-in attempts. Wait 30 seconds, then try again.',
    );

    now += 30_000;
    const done = await browser.follow(action, redirectUri, {
      method: 'POST',
      form: right,
    });
    expect(done.url.startsWith(`${redirectUri}?code=`)).toBe(true);
  });

  it('locks one address guessing across many usernames', async () => {
    const browser = new Browser();
    const action = await loginForm(browser);
    for (let i = 0; i < 20; i++) {
      const res = await browser.request(action, {
        method: 'POST',
        form: { username: `someone${i}`, password: 'guess' },
      });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
    const res = await browser.request(action, {
      method: 'POST',
      form: { username: 'tara.tenant', password: 'tara-password' },
    });
    expect(res.status).toBe(429);
    await res.arrayBuffer();
  });
});
