/**
 * The one fetch wrapper of the backend tests: a token (or none), JSON in, the status with the
 * parsed body and the raw text out. The reliability suite, the isolation matrix and the
 * scaffolder tests all call the backend through it.
 */
export async function call(
  baseUrl: string,
  token: string | undefined,
  method: string,
  urlPath: string,
  init: {
    json?: unknown;
    body?: string | Buffer | Uint8Array;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | Uint8Array | undefined;
  if (init.json !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.body !== undefined) {
    body =
      typeof init.body === 'string' ? init.body : new Uint8Array(init.body);
  }
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers,
    body,
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

/** A call of {@link apiCaller}: `body` is the parsed JSON, else the text (a page, a file). */
export type ApiCall = (
  token: string | undefined,
  method: string,
  urlPath: string,
  body?: unknown,
) => Promise<{ status: number; body: any; text: string }>;

/** Calls `/api<urlPath>` of the backend at `baseUrl` (read when called, so it may be set later). */
export function apiCaller(baseUrl: string | (() => string)): ApiCall {
  return async (token, method, urlPath, body) => {
    const base = typeof baseUrl === 'string' ? baseUrl : baseUrl();
    const res = await call(base, token, method, `/api${urlPath}`, {
      json: body ?? undefined,
    });
    return {
      ...res,
      body: res.body ?? (res.text === '' ? undefined : res.text),
    };
  };
}
