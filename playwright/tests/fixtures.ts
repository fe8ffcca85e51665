import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
} from '@playwright/test';

/**
 * The portal runs on networks without internet access (on-premises operations networks). Every
 * end-to-end test therefore runs with every request to a host other than this machine refused,
 * and FAILS when a page tried one: a font, a script, an image or a socket that reaches out would
 * leave a person on that network with a blank or broken page.
 *
 * Every spec imports `test` and `expect` from here instead of '@playwright/test'.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLocal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // data: and blob: URLs never leave the browser.
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

/** Refuses every non-local request (HTTP and WebSocket) of `context`, recording it in `blocked`. */
export async function guardContext(context: BrowserContext, blocked: string[]) {
  await context.route('**/*', route => {
    const url = route.request().url();
    if (isLocal(url)) return route.fallback();
    blocked.push(`${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  // Only non-local sockets are routed: proxying the dev server's own socket through Playwright
  // dropped it, and its client then reloaded the page in a loop.
  await context.routeWebSocket(
    url => !isLocal(url.href),
    ws => {
      blocked.push(`WebSocket ${ws.url()}`);
      ws.close({ code: 1008, reason: 'non-local host blocked by the test' });
    },
  );
}

export const test = base.extend<{
  /** Requests refused in this test so far (method and URL); must be empty when it ends. */
  blockedRequests: string[];
  /** A fresh browser context (another person signing in), guarded like the default one. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}>({
  blockedRequests: [
    async ({ context }, use) => {
      const blocked: string[] = [];
      await guardContext(context, blocked);
      await use(blocked);
      expect(
        blocked,
        'requests to hosts other than localhost (the portal must work without internet access)',
      ).toEqual([]);
    },
    { auto: true },
  ],
  newContext: async ({ browser, blockedRequests }, use) => {
    const made: BrowserContext[] = [];
    await use(async options => {
      const context = await browser.newContext(options);
      await guardContext(context, blockedRequests);
      made.push(context);
      return context;
    });
    for (const context of made) await context.close();
  },
});

export { expect };
