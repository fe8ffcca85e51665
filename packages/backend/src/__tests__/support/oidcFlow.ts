/**
 * Drives a Backstage OpenID Connect sign-in with plain HTTP, as a browser's popup would:
 * /api/auth/oidc/start -> the issuer's authorize endpoint -> its login form -> back to
 * /api/auth/oidc/handler/frame, which answers with the Backstage identity.
 */

type Cookie = { name: string; value: string; origin: string; path: string };

/** Just enough of a browser cookie jar: per origin and path prefix, honouring deletions. */
export class CookieJar {
  #cookies: Cookie[] = [];

  store(url: URL, res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map(p => p.trim());
      const eq = pair.indexOf('=');
      const cookie: Cookie = {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        origin: url.origin,
        path: '/',
      };
      let expired = false;
      for (const attribute of attributes) {
        const [key, value = ''] = attribute.split('=');
        const k = key.toLowerCase();
        if (k === 'path') cookie.path = value;
        if (k === 'max-age' && Number(value) <= 0) expired = true;
        if (k === 'expires' && Date.parse(value) < Date.now()) expired = true;
      }
      this.#cookies = this.#cookies.filter(
        c =>
          !(
            c.name === cookie.name &&
            c.origin === cookie.origin &&
            c.path === cookie.path
          ),
      );
      if (!expired) this.#cookies.push(cookie);
    }
  }

  header(url: URL): string {
    return this.#cookies
      .filter(c => c.origin === url.origin && url.pathname.startsWith(c.path))
      .map(c => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export type Step = { url: URL; res: Response; body: string };

/**
 * A request that follows redirects itself, sending and keeping cookies like a browser. With
 * `stopAt`, a redirect to a matching URL is not followed: the step's `url` is that target and
 * `res` the redirect (so a test never reaches out to a site it only checks it is sent to).
 */
export async function browse(
  jar: CookieJar,
  start: string | URL,
  init: {
    method?: string;
    form?: Record<string, string>;
    stopAt?: (url: URL) => boolean;
  } = {},
  maxRedirects = 20,
): Promise<Step> {
  let url = new URL(start);
  let method = init.method ?? 'GET';
  let body: string | undefined = init.form
    ? new URLSearchParams(init.form).toString()
    : undefined;
  for (let i = 0; i <= maxRedirects; i++) {
    const headers: Record<string, string> = {};
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      url = new URL(location, url);
      if (init.stopAt?.(url)) return { url, res, body: '' };
      method = 'GET';
      body = undefined;
      continue;
    }
    return { url, res, body: await res.text() };
  }
  throw new Error(`more than ${maxRedirects} redirects from ${start}`);
}

/** The form's action on an HTML page (the dev IdP login form), resolved against the page. */
export function formAction(step: Step): URL {
  const match = step.body.match(/<form[^>]*action="([^"]+)"/);
  if (!match) {
    throw new Error(
      `no form at ${step.url} (${step.res.status}): ${step.body.slice(0, 300)}`,
    );
  }
  return new URL(match[1].replace(/&amp;/g, '&'), step.url);
}

/** The message the handler/frame page posts to the app: the Backstage auth response. */
export function frameResponse(step: Step): any {
  const match = step.body.match(
    /var authResponse = decodeURIComponent\('([^']*)'\)/,
  );
  if (!match) {
    throw new Error(
      `not an auth response at ${step.url} (${
        step.res.status
      }): ${step.body.slice(0, 300)}`,
    );
  }
  return JSON.parse(decodeURIComponent(match[1]));
}

/** Signs in through `/api/auth/oidc/start` and returns the final step and the posted message. */
export async function oidcSignIn(options: {
  backendUrl: string;
  env: string;
  username: string;
  password: string;
  jar?: CookieJar;
  /** More query parameters for /start, e.g. `{ flow: 'redirect', redirectUrl }`. */
  startQuery?: Record<string, string>;
  /** Redirects not to follow after the login form (see `browse`). */
  stopAt?: (url: URL) => boolean;
}) {
  const jar = options.jar ?? new CookieJar();
  const query = new URLSearchParams({
    env: options.env,
    scope: 'openid profile email',
    ...options.startQuery,
  });
  const login = await browse(
    jar,
    `${options.backendUrl}/api/auth/oidc/start?${query}`,
  );
  const submitted = await browse(jar, formAction(login), {
    method: 'POST',
    form: { username: options.username, password: options.password },
    stopAt: options.stopAt,
  });
  return { jar, login, submitted };
}

/** The password of every user of the development identity provider (local default only). */
export const DEV_PASSWORD = 'fabric-dev';

/** Signs `username` in through the development issuer; returns the Backstage token. */
export async function devSignIn(
  backendUrl: string,
  username: string,
): Promise<string> {
  const { submitted } = await oidcSignIn({
    backendUrl,
    env: 'development',
    username,
    password: DEV_PASSWORD,
  });
  const message = frameResponse(submitted);
  if (!message.response) {
    throw new Error(
      `sign-in of ${username} failed: ${JSON.stringify(message)}`,
    );
  }
  return message.response.backstageIdentity.token as string;
}

/**
 * Signs each user in (one after the other; sign-in resolves them in the catalog, so call it once
 * the catalog has loaded); returns the tokens under the same keys.
 */
export async function devSignInAll<K extends string>(
  backendUrl: string,
  users: Record<K, string>,
): Promise<Record<K, string>> {
  const tokens = {} as Record<K, string>;
  for (const key of Object.keys(users) as K[]) {
    tokens[key] = await devSignIn(backendUrl, users[key]);
  }
  return tokens;
}
