import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import { DEV_PASSWORD, signIn } from './helpers';

// The two-person rule end to end on the local default: a tenant member submits a production
// proposal (through the API until the scaffolder template exists), two operators each register
// an OpenPGP key made by the real gpg, sign the proposal's digest and approve it in the browser,
// the gate (which CI may read, never act on) turns green, and an operator marks it applied.
const BACKEND = 'http://localhost:7007';
const CI_TOKEN = 'local-dev-ci-token-not-for-production';

/** A throw-away GnuPG home per test run; keys never leave it except the public part. */
class Gpg {
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-gpg-'));
  constructor() {
    fs.chmodSync(this.home, 0o700);
  }
  private run(args: string[], input?: string) {
    return execFileSync(
      'gpg',
      [
        '--batch',
        '--homedir',
        this.home,
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        '',
        ...args,
      ],
      { input, encoding: 'utf8' },
    );
  }
  newKey(email: string) {
    this.run(['--quick-gen-key', `E2E <${email}>`, 'ed25519', 'sign', 'never']);
    return this.run(['--armor', '--export', email]);
  }
  /** Runs a shell command the page shows (e.g. the challenge's gpg command) with this home. */
  shell(command: string) {
    return execFileSync('bash', ['-c', command], {
      encoding: 'utf8',
      env: { ...process.env, GNUPGHOME: this.home },
    });
  }
  sign(email: string, digest: string) {
    return this.run(
      ['--local-user', email, '--armor', '--detach-sign'],
      digest,
    );
  }
  dispose() {
    try {
      execFileSync('gpgconf', ['--homedir', this.home, '--kill', 'gpg-agent']);
    } catch {
      // no agent running
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

async function tokenOf(username: string): Promise<string> {
  const { submitted } = await oidcSignIn({
    backendUrl: BACKEND,
    env: 'development',
    username,
    password: DEV_PASSWORD,
  });
  return frameResponse(submitted).response.backstageIdentity.token;
}

async function submitAsTenant(
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
          service: 'component:default/postgresql',
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

async function gateOf(id: string) {
  const res = await fetch(`${BACKEND}/api/approvals/proposals/${id}/gate`, {
    headers: { Authorization: `Bearer ${CI_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** Signs `username` in, in a fresh browser context from the test's `newContext` fixture. */
async function asUser(
  newContext: () => Promise<BrowserContext>,
  username: string,
) {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

/**
 * Registers a new key in the Signing key panel: get a challenge, sign it by running the very
 * command the panel shows (so its bytes are what the backend checks), paste key and signature.
 */
async function registerKey(page: Page, gpg: Gpg, email: string) {
  const publicKey = gpg.newKey(email);
  await page.goto('/approvals');
  await expect(page.getByText('Signing key', { exact: true })).toBeVisible();
  await page
    .getByRole('button', {
      name: /^(Get challenge|Replace key: get challenge)$/,
    })
    .click();
  const command = await page.getByTestId('signing-key-command').innerText();
  const signature = gpg.shell(command.replace('<your key id>', email));
  await page.getByLabel('Armored OpenPGP public key').fill(publicKey);
  await page.getByLabel('Armored signature of the challenge').fill(signature);
  await page.getByRole('button', { name: 'Register key' }).click();
  await expect(page.getByTestId('signing-key-active')).toBeVisible();
}

async function claimAndApprove(page: Page, id: string, signature: string) {
  await page.goto(`/approvals/proposals/${id}`);
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Claim', exact: true })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByLabel('Comment')
    .fill('Checked the binding and the evidence');
  await dialog.getByLabel('Armored signature').fill(signature);
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('a tenant proposal needs two signed operator approvals before an operator may apply it', async ({
  newContext,
}) => {
  // Three people sign in, each in a fresh browser context that loads the whole app again; on a
  // 2-core CI machine that alone takes most of the default two minutes.
  test.setTimeout(300_000);
  const gpg = new Gpg();
  try {
    const { id, digest } = await submitAsTenant();
    expect((await gateOf(id)).allowed).toBe(false);

    // The tenant sees the proposal in their requests, without any reviewer action.
    const bea = await asUser(newContext, 'bea.birds');
    await bea.page.goto(`/approvals/proposals/${id}`);
    await expect(bea.page.getByTestId('proposal-digest')).toHaveText(digest);
    await expect(
      bea.page.getByRole('button', { name: 'Approve', exact: true }),
    ).toHaveCount(0);
    await bea.context.close();

    const olivia = await asUser(newContext, 'olivia.operator');
    await registerKey(olivia.page, gpg, 'olivia@e2e.example');
    await claimAndApprove(
      olivia.page,
      id,
      gpg.sign('olivia@e2e.example', digest),
    );
    await expect(olivia.page.getByText('in-review').first()).toBeVisible();
    expect(await gateOf(id)).toMatchObject({
      allowed: false,
      reasons: [
        { code: 'not-approved' },
        { code: 'missing-approvals', message: '1 of 2 required approvals' },
      ],
    });

    const oscar = await asUser(newContext, 'oscar.operator');
    await registerKey(oscar.page, gpg, 'oscar@e2e.example');
    await claimAndApprove(
      oscar.page,
      id,
      gpg.sign('oscar@e2e.example', digest),
    );
    await expect(oscar.page.getByTestId('gate-verdict')).toContainText(
      'Allowed: this change may be applied now.',
    );
    expect(await gateOf(id)).toMatchObject({ allowed: true, reasons: [] });

    await oscar.page.getByRole('button', { name: 'Mark applied' }).click();
    const apply = oscar.page.getByRole('dialog');
    await apply.getByLabel('Reference').fill('CHG-e2e-1');
    await apply.getByRole('button', { name: 'Mark applied' }).click();
    await expect(apply).toBeHidden();
    await expect(oscar.page.getByText('applied').first()).toBeVisible();
    expect(await gateOf(id)).toMatchObject({
      allowed: false,
      reasons: [{ code: 'already-applied' }],
    });
    await olivia.context.close();
    await oscar.context.close();
  } finally {
    gpg.dispose();
  }
});

test('the queue pages, filters and searches on the server, counts what waits for me, and opens a proposal in the same tab', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  // 26 proposals with one marker: one more than the first page holds.
  const marker = `queue-e2e-${Date.now()}`;
  const token = await tokenOf('bea.birds');
  const ids: string[] = [];
  for (let i = 0; i < 26; i++) {
    ids.push((await submitAsTenant(`${marker} #${i}`, token)).id);
  }
  const shot = async (name: string) => {
    const file = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(name, { path: file, contentType: 'image/png' });
  };

  await signIn(page, 'olivia.operator');
  await page.goto('/approvals');
  const rows = page
    .getByRole('table', { name: 'Proposals' })
    .locator('tbody tr');
  await expect(
    page.getByRole('tab', { name: /^Waiting for me \(\d+\)$/ }),
  ).toBeVisible();

  // Search: the marker finds the 26, the count of the tab follows the search.
  await page.getByLabel('Search title, tenant or id').fill(marker);
  await page.getByLabel('Search title, tenant or id').press('Enter');
  await expect(
    page.getByRole('tab', { name: 'Waiting for me (26)' }),
  ).toBeVisible();
  await expect(page.getByText('1–25 of 26')).toBeVisible();
  await expect(rows).toHaveCount(25);
  await shot('queue-waiting-for-me');

  // Paging on the server: the second page holds the oldest one.
  await page.getByRole('button', { name: /next page/i }).click();
  await expect(page.getByText('26–26 of 26')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${marker} #0`);
  await expect(page).toHaveURL(/offset=25/);

  // Filters: the state select shows counts; a type none of them has empties the list.
  await page.getByLabel('State').click();
  await page.getByRole('option', { name: 'validated (26)' }).click();
  await expect(page).not.toHaveURL(/offset=/);
  await expect(page.getByText('1–25 of 26')).toBeVisible();
  await page.getByLabel('Type').click();
  await page.getByRole('option', { name: 'capacity-change' }).click();
  await expect(page.getByText(/Nothing is waiting for you/)).toBeVisible();
  await page.getByLabel('Type').click();
  await page.getByRole('option', { name: 'Any' }).click();
  await expect(rows).toHaveCount(25);
  await shot('queue-filtered');

  // The tenant's own view: Bea's proposals never wait for Bea (checked by the API in unit
  // tests); here: opening one stays in this tab, without reloading the app.
  await page.evaluate(() => {
    (window as any).sameDocument = true;
  });
  const pagesBefore = page.context().pages().length;
  await page.getByRole('link', { name: `${marker} #25` }).click();
  await expect(page).toHaveURL(new RegExp(`/approvals/proposals/${ids[25]}$`));
  await expect(page.getByTestId('proposal-digest')).toBeVisible();
  expect(page.context().pages()).toHaveLength(pagesBefore);
  expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
  await expect(
    page.getByRole('link', {
      name: /^Drift runs of project-birds in samakia-prod$/,
    }),
  ).toBeVisible();
  await shot('proposal-opened-same-tab');
});
