import { InputError } from '@backstage/errors';
import type { RequestHandler } from 'express';

/**
 * Why a `redirectUrl` is refused, or undefined when it stays on the app's origin.
 *
 * The comparison is textual AND parsed: the raw value must start with the origin followed by
 * `/`, `?`, `#` or nothing, and the WHATWG parser must agree on the origin. Either alone can be
 * fooled: `http://localhost:3000@evil.example` starts with the origin but is a URL on
 * evil.example with a user name; `HTTP://LOCALHOST:3000/` parses to the origin but a browser
 * that lenient is not the one we need to outguess. Backslashes, whitespace and control
 * characters are refused outright, since browsers rewrite or drop them before resolving.
 */
export function redirectUrlProblem(
  value: unknown,
  appOrigin: string,
): string | undefined {
  if (typeof value !== 'string') {
    return 'give it once, as one URL';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) {
    return 'it must not contain backslashes, spaces or control characters';
  }
  const rest = value.startsWith(appOrigin)
    ? value.slice(appOrigin.length)
    : undefined;
  if (rest === undefined || !(rest === '' || /^[/?#]/.test(rest))) {
    return `it must be a page of the portal, starting with ${appOrigin}/`;
  }
  // `http://localhost:3000//evil.example` is still on the origin (a path), but keep the path
  // from looking like a protocol-relative URL to anything that re-resolves it later.
  if (rest.startsWith('//')) {
    return 'its path must not start with //';
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'it is not a valid URL';
  }
  if (parsed.origin !== appOrigin || parsed.username || parsed.password) {
    return `it must be a page of the portal, starting with ${appOrigin}/`;
  }
  return undefined;
}

/** The redirectUrl that an upstream OAuth `state` parameter (hex-encoded query string) carries. */
function redirectUrlInState(state: unknown): string[] {
  if (typeof state !== 'string' || !/^(?:[0-9a-f]{2})*$/i.test(state)) {
    // Not a state auth-node could decode either; it refuses it itself.
    return [];
  }
  const params = new URLSearchParams(Buffer.from(state, 'hex').toString());
  return params.getAll('redirectUrl');
}

/**
 * Express middleware for the auth plugin's router, in front of every provider's routes. The
 * upstream OAuth handlers (auth-node) keep `?redirectUrl=` in the state at `/<provider>/start`
 * and, for `flow=redirect`, send the browser there from `/<provider>/handler/frame` after a
 * real sign-in, without looking at where it points: an open redirect with the user's session
 * behind it. Both steps are checked, since the state travels through the browser and the
 * identity provider and comes back as a plain (unsigned) parameter.
 */
export function createRedirectGuard(options: {
  appBaseUrl: string;
}): RequestHandler {
  const appOrigin = new URL(options.appBaseUrl).origin;
  return (req, _res, next) => {
    const step = req.path.match(/^\/[^/]+\/(start|handler\/frame)\/?$/)?.[1];
    if (!step) {
      next();
      return;
    }
    // At the start it is a query parameter (a repeated one arrives as an array: refused);
    // at the handler it is inside the state.
    let candidates: unknown[];
    if (step === 'start') {
      const { redirectUrl } = req.query;
      candidates = redirectUrl === undefined ? [] : [redirectUrl];
    } else {
      candidates = redirectUrlInState(req.query.state);
    }
    for (const candidate of candidates) {
      const problem = redirectUrlProblem(candidate, appOrigin);
      if (problem) {
        next(
          new InputError(
            `redirectUrl is not allowed: ${problem} (the app's own origin, app.baseUrl)`,
          ),
        );
        return;
      }
    }
    next();
  };
}
