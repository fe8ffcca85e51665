import { browse, CookieJar, oidcSignIn } from './oidcFlow';

/**
 * What an attacker puts in `?redirectUrl=` to leave the app after a real sign-in; `app` is the
 * app's origin (app.baseUrl). Shared by the local and the production profile tests.
 */
export function foreignRedirectUrls(app: string): string[] {
  const { host, port } = new URL(app);
  return [
    'https://evil.example/phish',
    '//evil.example/phish',
    // An attacker's value, never evaluated here.
    // eslint-disable-next-line no-script-url
    'javascript:alert(document.cookie)',
    `${app}@evil.example/phish`,
    `${app}\\@evil.example/phish`,
    `${app}.evil.example/phish`,
    `http://${host.replace(/:\d+$/, '')}:${Number(port || 80) + 1}/`,
    `https://${host}/`,
  ];
}

/** Decodes auth-node's OAuth state (a hex-encoded query string), edits it, encodes it again. */
export function editState(
  state: string,
  edit: (params: URLSearchParams) => void,
): string {
  const params = new URLSearchParams(Buffer.from(state, 'hex').toString());
  edit(params);
  return Buffer.from(params.toString()).toString('hex');
}

/**
 * Signs in with `flow=redirect&redirectUrl=<good>` and stops at the provider's callback
 * (handler/frame) without calling it: the URL the identity provider sent the browser to.
 */
export async function signInUntilCallback(options: {
  backendUrl: string;
  env: string;
  username: string;
  password: string;
  redirectUrl: string;
}) {
  const jar = new CookieJar();
  const { submitted } = await oidcSignIn({
    ...options,
    jar,
    startQuery: { flow: 'redirect', redirectUrl: options.redirectUrl },
    stopAt: url => url.pathname === '/api/auth/oidc/handler/frame',
  });
  if (submitted.url.pathname !== '/api/auth/oidc/handler/frame') {
    throw new Error(
      `sign-in did not reach the callback: ${submitted.url} (${submitted.res.status})`,
    );
  }
  return {
    jar,
    callback: submitted.url,
    /**
     * Calls the callback (optionally edited) and stops at any redirect off the backend's API
     * (in production the app and the backend share an origin).
     */
    finish: (url: URL) =>
      browse(jar, url, {
        stopAt: next =>
          next.origin !== new URL(options.backendUrl).origin ||
          !next.pathname.startsWith('/api/'),
      }),
  };
}
