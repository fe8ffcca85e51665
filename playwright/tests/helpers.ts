import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import { GpgHome } from '../../packages/fabric-test-utils/src/gpg';
import { CI_TOKEN } from '../../packages/fabric-test-utils/src/tokens';
import {
  DEV_PASSWORD,
  devSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';

export { DEV_PASSWORD };

/**
 * Opens the sign-in popup and submits the development identity provider's login form.
 * Returns the popup (still open when the identity provider refused the credentials) and a
 * promise that settles when it closes (Backstage closes it once the sign-in is done).
 */
export async function submitSignIn(
  page: Page,
  username: string,
  password: string,
) {
  await page.goto('/');
  const signInButton = page.getByRole('button', { name: 'Sign In' });
  await expect(signInButton).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await signInButton.click();
  const popup = await popupOpened;
  await expect(
    popup.getByRole('heading', { name: 'Sign in to Fabric ID' }),
  ).toBeVisible();
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  return { popup, closed };
}

/**
 * Signs in through the real OpenID Connect flow of the local default: Backstage opens a popup
 * on the development identity provider, which sends the code back; the popup then closes.
 */
export async function signIn(
  page: Page,
  username = 'olivia.operator',
  password = DEV_PASSWORD,
) {
  const { closed } = await submitSignIn(page, username, password);
  await closed;
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
}

/** A link in the sidebar navigation, by its visible label. */
export function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}

/**
 * What a person sees, not what Playwright's `toBeVisible` accepts (it counts `opacity: 0` as
 * visible): the element has a size, lies in the page, and neither it nor any ancestor — across
 * shadow roots, as in TechDocs pages — is transparent, hidden or not displayed.
 */
export async function expectSeen(locator: Locator) {
  await expect(locator).toBeVisible();
  await expect
    .poll(
      () =>
        locator.evaluate(element => {
          let opacity = 1;
          let node: Element | null = element;
          while (node) {
            const style = getComputedStyle(node);
            if (style.display === 'none' || style.visibility !== 'visible') {
              return 0;
            }
            opacity *= Number(style.opacity);
            node =
              node.parentElement ??
              ((node.getRootNode() as ShadowRoot).host || null);
          }
          const box = element.getBoundingClientRect();
          return box.width > 0 && box.height > 0 ? opacity : 0;
        }),
      { message: 'effective opacity of what a person should read' },
    )
    .toBe(1);
  expect((await locator.innerText()).trim()).not.toBe('');
}

/**
 * Opens a runbook (or any TechDocs page) at `path` and waits for TechDocs' check of whether it
 * is current (the sync request) to finish; returns the page's content heading locator helper.
 */
export async function openDocs(page: Page, path: string) {
  const synced = page.waitForEvent('requestfinished', request =>
    request.url().includes('/api/techdocs/sync/'),
  );
  await page.goto(path);
  await synced;
}

/** TechDocs shows this when the docs were rebuilt while open; only a real change may cause it. */
export const NEWER_VERSION_BANNER =
  /A newer version of this documentation is now available/;

// What the approvals, evidence and promotion specs share: the backend's address and CI token
// of the local default, a throw-away GnuPG home (the real gpg), a user's token through the real
// OpenID Connect flow, key registration with a signed challenge, a signed packet upload by CI,
// and the claim-and-approve walk in the browser.

export const BACKEND = 'http://localhost:7007';
export { CI_TOKEN };

/** A throw-away GnuPG home per spec (the real gpg); keys never leave it but the public part. */
export function e2eGpg(): GpgHome {
  return new GpgHome('e2e-gpg-');
}

/** Makes an ed25519 signing key `E2E <email>` in `gpg`; returns its armored public key. */
export function newE2eKey(gpg: GpgHome, email: string): string {
  return gpg.generateKey(`E2E <${email}>`);
}

/** A user's Backstage token through the development identity provider. */
export async function tokenOf(username: string): Promise<string> {
  return devSignIn(BACKEND, username);
}

/** A JSON call to the backend: GET without a body, else `method` (POST by default). */
export async function backendCall(
  token: string,
  p: string,
  body?: unknown,
  method = 'POST',
) {
  const res = await fetch(`${BACKEND}${p}`, {
    method: body === undefined ? 'GET' : method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** Registers a new key of `username` in the one signing-key registry (signed challenge). */
export async function registerKeyByApi(
  gpg: GpgHome,
  username: string,
  email: string,
) {
  const publicKey = newE2eKey(gpg, email);
  const token = await tokenOf(username);
  const challenge = await backendCall(
    token,
    '/api/signing-keys/challenges',
    {},
  );
  expect(challenge.status).toBe(201);
  const registered = await backendCall(
    token,
    '/api/signing-keys/keys/me',
    {
      publicKey,
      challengeId: challenge.body.id,
      signature: gpg.sign(email, challenge.body.text),
    },
    'PUT',
  );
  expect(registered.status).toBe(200);
}

/**
 * CI uploads a packet of `subject` whose manifest (made by the real sha256sum) `signer` signed;
 * returns its id once the backend verified it. `stamp` is its UTC second, unique per subject.
 */
export async function uploadPacket(options: {
  gpg: GpgHome;
  work: string;
  signer: string;
  name: string;
  stamp: string;
  subject?: string;
  files?: Record<string, string>;
}): Promise<string> {
  const { gpg, work, signer, name, stamp } = options;
  const subject = options.subject ?? 'project-birds';
  const dir = path.join(work, name);
  const files = options.files ?? {
    'summary.md': `# ${name}\n\nPASS for ${subject}.\n`,
    'steps/01-check/stdout.log': `${name}: PASS\n`,
    'steps/01-check/stderr.log': '',
    'steps/01-check/exit_code': '0\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  fs.writeFileSync(
    path.join(dir, 'manifest.sha256'),
    execFileSync('sha256sum', Object.keys(files).sort(), {
      cwd: dir,
      encoding: 'utf8',
    }),
  );
  gpg.detachSign(
    path.join(dir, 'manifest.sha256'),
    path.join(dir, 'manifest.sha256.asc'),
    signer,
  );
  const archive = path.join(work, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const res = await fetch(
    `${BACKEND}/api/evidence/packets?area=tenants&subject=${subject}&timestamp=${stamp}`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${CI_TOKEN}`,
        'Content-Type': 'application/gzip',
      },
      body: fs.readFileSync(archive),
    },
  );
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(body.packet.verdict).toBe('verified');
  return body.packet.id;
}

/** UTC seconds a minute ago, one per index: each packet gets its own timestamp key. */
export function packetStamp(i: number, base = Date.now()): string {
  return new Date(Math.floor(base / 1000) * 1000 - 60_000 + i * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Signs `username` in, in a fresh browser context from the test's `newContext` fixture. */
export async function asUser(
  newContext: () => Promise<BrowserContext>,
  username: string,
) {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

/** Claims the proposal and approves it with the signature, in the browser. */
export async function claimAndApprove(
  page: Page,
  id: string,
  signature: string,
  comment = 'Checked the change and the evidence',
) {
  await page.goto(`/approvals/proposals/${id}`);
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Claim', exact: true })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill(comment);
  await dialog.getByLabel('Armored signature').fill(signature);
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/**
 * CI posts a PASS drift run for project-birds in `environment` from a source of its own, so the
 * target rung of a promotion is drift-free.
 */
export async function postPassDrift(environment: string, label: string) {
  const res = await fetch(`${BACKEND}/api/drift/runs`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${CI_TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      source: `e2e/${label}-${Date.now()}`,
      environment,
      tenant: 'project-birds',
      observedAt: new Date().toISOString(),
      findings: [
        {
          provider: 'kubernetes',
          resource: 'birds-api/deployment',
          class: 'in-sync',
          verdict: 'PASS',
        },
      ],
    }),
  });
  expect(res.status).toBe(201);
}

/** Bea (team-birds) files a production binding change through the API; it is validated at once. */
export async function submitAsTenant(
  title = `Bind the birds worker to PostgreSQL (e2e ${Date.now()})`,
  token?: string,
): Promise<{ id: string; digest: string }> {
  token ??= await tokenOf('bea.birds');
  const res = await fetch(`${BACKEND}/api/approvals/proposals`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      tenant: 'project-birds',
      type: 'binding-change',
      environment: 'samakia-prod',
      title,
      change: {
        action: 'add',
        binding: {
          workload: 'worker',
          consumer: 'postgres',
          environment: 'samakia-prod',
          endpoint: 'postgres-birds.infra.samakia.net:5432',
          service: 'component:default/samakia-executor-postgres',
        },
      },
      changeRef: `mr!e2e-${Date.now()}`,
    }),
  });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(body.state).toBe('validated');
  expect(body.requester).toBe('user:default/bea.birds');
  return { id: body.id, digest: body.digest };
}
