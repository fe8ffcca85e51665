import { CI_TOKEN } from '@internal/fabric-test-utils';
import { createHash, randomBytes } from 'node:crypto';
import { bootBackend, waitFor } from './support/bootBackend';
import { frameResponse, oidcSignIn } from './support/oidcFlow';

// The sign-in of the operator CLI (scripts/fabric-cli.mts) on the real composition of the local
// default: the auth backend's authorization-code flow with PKCE for its built-in CLI client and
// the loopback redirect. The consent the browser gives is posted here with the operator's own
// session; the token the CLI gets is that operator's, and the approvals API knows them by it.

jest.setTimeout(180_000);

const CALLBACK = 'http://127.0.0.1:8055/callback';

describe('operator CLI sign-in through the portal', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  const nodeEnv = process.env.NODE_ENV;

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
      }),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    process.env.NODE_ENV = nodeEnv;
  });

  it('gives the CLI a token of the user who consented, and refuses a wrong verifier', async () => {
    const auth = `${backend.baseUrl}/api/auth`;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${auth}/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: `${auth}/.well-known/oauth-client/cli.json`,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid offline_access',
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    // Client metadata over plain http is only accepted for localhost in development.
    process.env.NODE_ENV = 'development';
    const started = await fetch(authorize, { redirect: 'manual' });
    expect(started.status).toBe(302);
    const consent = started.headers.get('location')!;
    expect(consent).toMatch(/\/oauth2\/authorize\/[^/]+$/);
    const sessionId = consent.split('/').pop()!;

    // Some other client may not redirect anywhere it likes.
    const foreign = new URL(authorize);
    foreign.searchParams.set('redirect_uri', 'http://127.0.0.1:9999/steal');
    const refused = await fetch(foreign, { redirect: 'manual' });
    expect(refused.status).not.toBe(302);
    process.env.NODE_ENV = nodeEnv;

    // Sign-in resolves the user in the catalog: wait until it is ingested.
    await waitFor('bea.birds in the catalog', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/user/default/bea.birds`,
        {
          headers: {
            Authorization: `Bearer ${CI_TOKEN}`,
          },
        },
      );
      return res.ok ? true : undefined;
    });
    const { submitted } = await oidcSignIn({
      backendUrl: backend.baseUrl,
      env: 'development',
      username: 'bea.birds',
      password: 'fabric-dev',
    });
    const session = frameResponse(submitted).response.backstageIdentity.token;
    const approved = await fetch(`${auth}/v1/sessions/${sessionId}/approve`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${session}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(approved.status).toBe(200);
    const redirect = new URL((await approved.json()).redirectUrl);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CALLBACK);
    expect(redirect.searchParams.get('state')).toBe('st-1');
    const code = redirect.searchParams.get('code')!;

    const exchange = (codeVerifier: string) =>
      fetch(`${auth}/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          code,
          redirect_uri: CALLBACK,
          code_verifier: codeVerifier,
        }),
      });
    expect((await exchange('not-the-verifier')).status).toBe(400);
    const token = await exchange(verifier);
    const body = await token.json();
    expect({ status: token.status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });

    // The approvals API knows the signed-in user by the CLI's token.
    const queue = await fetch(
      `${backend.baseUrl}/api/approvals/proposals?view=review`,
      { headers: { Authorization: `Bearer ${body.access_token}` } },
    );
    expect(queue.status).toBe(200);
  });
});
