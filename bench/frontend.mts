// Part 5: the frontend. Uses the production build of the app (`yarn workspace app build`, run
// first when packages/app/dist is missing or with --rebuild-app), served by the backend's app
// plugin like in production, and headless Chromium (Debian's /usr/bin/chromium through
// Playwright). After signing in through the development OpenID Connect provider it counts the
// JavaScript the browser loads (transferred and uncompressed) for the first catalog page and for
// an entity page with the HTTP cache disabled, and times an entity page until its content is on
// screen, cold (cache disabled) and warm (cache enabled).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page, type BrowserContext } from '@playwright/test';
import {
  type BenchOptions,
  type Figure,
  type PartResult,
  log,
  now,
  percentile,
  repoRoot,
  requireRepo,
  run,
  yarnRelease,
} from './lib/common.mts';
import { type BenchBackend } from './lib/backend.mts';

const ENTITY_PATH = '/catalog/default/component/minio';

/** Builds the app when its production build is missing (or when asked to); returns seconds. */
export async function ensureAppBuild(
  options: BenchOptions,
): Promise<number | undefined> {
  const index = path.join(repoRoot, 'packages/app/dist/index.html');
  if (fs.existsSync(index) && !options.rebuildApp) return undefined;
  // The release file itself, as playwright.config.ts runs it: under `yarn bench`, npm_execpath
  // is a shell shim that node cannot run.
  const yarn = yarnRelease();
  log('building the app (yarn workspace app build)');
  const started = now();
  await run(process.execPath, [yarn, 'workspace', 'app', 'build'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return (now() - started) / 1000;
}

interface JsCount {
  files: number;
  transferred: number;
  uncompressed: number;
}

/** Opens `url` in a new page of `context` and counts the JavaScript it loads until ready. */
export async function visit(
  context: BrowserContext,
  url: string,
  ready: (page: Page) => Promise<unknown>,
  cache: boolean,
): Promise<{ js: JsCount; ms: number }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cache });
  const pending: Promise<void>[] = [];
  const js: JsCount = { files: 0, transferred: 0, uncompressed: 0 };
  page.on('requestfinished', request => {
    if (request.resourceType() !== 'script') return;
    pending.push(
      (async () => {
        const sizes = await request.sizes();
        const response = await request.response();
        const body = response ? await response.body() : Buffer.alloc(0);
        js.files += 1;
        js.transferred += sizes.responseBodySize;
        js.uncompressed += body.length;
      })(),
    );
  });
  const started = now();
  await page.goto(url);
  await ready(page);
  const ms = now() - started;
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await page.close();
  return { js, ms };
}

/** Headless Debian Chromium as every browser part of the bench runs it. */
export function launchChromium() {
  return chromium.launch(
    requireRepo<typeof import('../playwright/chromium.ts')>(
      'playwright/chromium.ts',
    ).chromiumLaunchOptions,
  );
}

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign In' }).click({
    timeout: 120_000,
  });
  const popup = await page.waitForEvent('popup');
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await closed;
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .waitFor({ timeout: 60_000 });
}

const catalogReady = (page: Page) =>
  page
    .locator('table tbody tr a')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });

const entityReady = async (page: Page) => {
  await page
    .getByText('make minio.accept')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await page
    .getByRole('table', { name: 'Hosts' })
    .getByText('minio-edge-1')
    .waitFor({ state: 'visible', timeout: 60_000 });
};

const kib = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function frontendPart(
  backend: BenchBackend,
  options: BenchOptions,
  buildSeconds: number | undefined,
): Promise<PartResult> {
  const started = now();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: backend.baseUrl });
    const first = await context.newPage();
    log('frontend: signing in as olivia.operator');
    await signIn(first, 'olivia.operator', 'fabric-dev');
    await first.close();

    const catalog = await visit(context, '/catalog', catalogReady, false);
    const entity = await visit(context, ENTITY_PATH, entityReady, false);
    const rounds = options.quick ? 2 : 5;
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < rounds; i++) {
      cold.push((await visit(context, ENTITY_PATH, entityReady, false)).ms);
    }
    // Warm: the first visit fills the cache, the timed ones reuse it.
    await visit(context, ENTITY_PATH, entityReady, true);
    for (let i = 0; i < rounds; i++) {
      warm.push((await visit(context, ENTITY_PATH, entityReady, true)).ms);
    }
    await context.close();

    const jsFigures = (label: string, js: JsCount): Figure[] => [
      {
        part: 'frontend',
        name: `${label}: JS transferred (${js.files} files)`,
        value: kib(js.transferred),
        unit: 'KiB',
      },
      {
        part: 'frontend',
        name: `${label}: JS uncompressed`,
        value: kib(js.uncompressed),
        unit: 'KiB',
      },
    ];
    const figures: Figure[] = [
      ...jsFigures('first catalog page (/catalog)', catalog.js),
      ...jsFigures(`entity page (${ENTITY_PATH})`, entity.js),
      {
        part: 'frontend',
        name: `entity page render, cold cache: median of ${rounds}`,
        value: Math.round(percentile(cold, 50)),
        unit: 'ms',
        note: `navigation start -> service facts and Hosts table visible; runs ${cold
          .map(ms => ms.toFixed(0))
          .join(', ')} ms`,
      },
      {
        part: 'frontend',
        name: `entity page render, warm cache: median of ${rounds}`,
        value: Math.round(percentile(warm, 50)),
        unit: 'ms',
        note: `runs ${warm.map(ms => ms.toFixed(0)).join(', ')} ms`,
      },
    ];
    if (buildSeconds !== undefined) {
      figures.push({
        part: 'frontend',
        name: 'app production build (yarn workspace app build)',
        value: Math.round(buildSeconds),
        unit: 's',
      });
    }
    return {
      part: 'frontend',
      figures,
      details: { catalog, entity, cold, warm },
      seconds: (now() - started) / 1000,
    };
  } finally {
    await browser.close();
  }
}
