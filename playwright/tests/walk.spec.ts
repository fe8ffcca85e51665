import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  e2eGpg,
  asUser,
  claimAndApprove,
  expectSeen,
  openDocs,
  packetStamp,
  registerKeyByApi,
  signIn,
  uploadPacket,
} from './helpers';

// The acceptance walk of issue 23, every request to a host other than localhost blocked (the
// fixture): for each role — tenant, operator, site owner — sign in, the home page, the DNS plane
// found by search as the first result, a runbook read and searched; then a tenant files a
// proposal citing an evidence packet, two operators approve it with signatures, and the tenant
// and an operator open it from their home pages. A full-page screenshot of each step is kept.

/** A full-page screenshot attached to the report and kept in the test's output folder. */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const ROLES = [
  { role: 'tenant', user: 'bea.birds', name: 'Bea Birds' },
  { role: 'operator', user: 'olivia.operator', name: 'Olivia Operator' },
  { role: 'site owner', user: 'wendy.web', name: 'Wendy Web' },
];

for (const { role, user, name } of ROLES) {
  test(`the ${role} walk: home, the DNS plane by search, a runbook read and searched`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(420_000);
    await signIn(page, user);

    // Home: who is signed in, what waits for them, no visit-tracking hint.
    await page.goto('/');
    await expect(page.getByTestId('signed-in-as')).toContainText(name);
    await expect(page.getByTestId('for-you-role')).toBeVisible();
    await expect(page.getByText(/Enable visit tracking/)).toHaveCount(0);
    // One main landmark and one h1 (the app's home layout around the stock widgets).
    await expect(page.getByRole('main')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
    await shot(page, testInfo, `${user}-1-home`);

    // Search: the plane is the first result, above every runbook section; counts shown.
    const first = page.getByTestId('search-result').first();
    await expect(async () => {
      await page.goto('/search?query=DNS%20plane');
      await expect(
        first.getByRole('link', { name: 'DNS plane', exact: true }),
      ).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 120_000 });
    await expect(page.getByTestId('search-result-count')).toHaveText(
      /^\d+ results?( on this page)?$/,
    );
    await expect(
      page.getByRole('list', { name: 'Search results' }),
    ).toBeVisible();
    await shot(page, testInfo, `${user}-2-search`);
    await first.getByRole('link', { name: 'DNS plane', exact: true }).click();
    await expect(page).toHaveURL(/\/catalog\/default\/plane\/dns/);

    // A runbook, readable, then searched from its own search box.
    await openDocs(page, '/docs/default/resource/dns-acceptance');
    await expectSeen(page.getByRole('heading', { name: /Purpose/ }).first());
    await shot(page, testInfo, `${user}-3-runbook`);
    // The reader's own search box ("Search docs", or "Search <title> docs" with a title).
    const docsSearch = page.getByPlaceholder(/^Search (.+ )?docs$/).first();
    await docsSearch.fill('VIP');
    await expect(page.getByRole('option').first()).toBeVisible({
      timeout: 30_000,
    });
    await shot(page, testInfo, `${user}-4-runbook-search`);
  });
}

test('a tenant files a proposal citing a packet, two operators approve it, both open it from home', async ({
  newContext,
}, testInfo) => {
  test.setTimeout(420_000);
  const gpg = e2eGpg();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-walk-'));
  try {
    await registerKeyByApi(gpg, 'olivia.operator', 'olivia.walk@e2e.example');
    await registerKeyByApi(gpg, 'oscar.operator', 'oscar.walk@e2e.example');
    const packetName = `walk-capacity-${Date.now().toString(36)}`;
    const packet = await uploadPacket({
      gpg,
      work,
      signer: 'olivia.walk@e2e.example',
      name: packetName,
      stamp: packetStamp(0),
    });

    // The tenant files it through the Tenant proposal form, citing the packet from the form's
    // list of her tenant's packets.
    const bea = await asUser(newContext, 'bea.birds');
    const page = bea.page;
    await page.goto('/create');
    await page
      .getByRole('heading', { level: 4, name: 'Tenant proposal', exact: true })
      .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
      .getByRole('button', { name: 'Choose' })
      .click();
    // The pickers show titles: her only tenant is chosen for her.
    await expect(page.getByRole('combobox', { name: 'Tenant' })).toHaveValue(
      'Project Birds',
    );
    await page.getByRole('combobox', { name: 'Target environment' }).click();
    await page
      .getByRole('option', { name: 'Samakia production', exact: true })
      .click();
    await page.getByRole('spinbutton', { name: /^Memory \(GiB\)/ }).fill('48');
    await expect(page.getByText('32 → 48')).toBeVisible();
    const title = `Walk: more memory for birds (e2e ${Date.now()})`;
    await page.getByRole('textbox', { name: /^Title/ }).fill(title);
    await page.getByRole('checkbox', { name: `Cite ${packetName}` }).check();
    await page
      .getByRole('combobox', { name: `Kind of ${packetName}` })
      .selectOption('plan');
    await shot(page, testInfo, 'proposal-1-form');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(
      page.getByRole('row', { name: /Requested difference/ }),
    ).toContainText('Memory (GiB): 32 → 48');
    // The tenant by its title, not its ref.
    await expect(page.getByRole('row', { name: /^Tenant / })).toHaveText(
      /^Tenant\s*Project Birds$/,
    );
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    // The task's link opens the proposal in the same tab.
    const open = page.getByRole('link', { name: 'Open the proposal' });
    await expect(open).toBeVisible({ timeout: 90_000 });
    await expect(open).not.toHaveAttribute('target', '_blank');
    await open.click();
    await expect(page).toHaveURL(/\/approvals\/proposals\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const digest = (
      await page.getByTestId('proposal-digest').innerText()
    ).trim();
    // The cited packet is on the proposal, resolved by the gate.
    await expect(page.getByText(packet).first()).toBeVisible();
    await shot(page, testInfo, 'proposal-2-filed');

    // Two operators approve it, each with a signature.
    for (const [who, email] of [
      ['olivia.operator', 'olivia.walk@e2e.example'],
      ['oscar.operator', 'oscar.walk@e2e.example'],
    ]) {
      const op = await asUser(newContext, who);
      await claimAndApprove(op.page, id, gpg.sign(email, digest));
      await shot(op.page, testInfo, `proposal-3-approved-by-${who}`);
      await op.context.close();
    }

    // The tenant opens it from her home page.
    await page.goto('/');
    // Her open proposals are listed with their state.
    const fromHome = page.getByRole('link', {
      name: `${title} (approved)`,
      exact: true,
    });
    await expect(fromHome).toBeVisible({ timeout: 30_000 });
    await shot(page, testInfo, 'proposal-4-tenant-home');
    await fromHome.click();
    await expect(page).toHaveURL(new RegExp(`/approvals/proposals/${id}$`));
    await expect(page.getByText('approved').first()).toBeVisible();
    await bea.context.close();

    // An operator finds it under "Approved, waiting to be applied" on his home page.
    const olivia = await asUser(newContext, 'olivia.operator');
    await olivia.page.goto('/');
    // In the "For you" list: the proposal's page, visited while approving, is also listed under
    // "Recently visited" by the same name.
    const toApply = olivia.page
      .getByRole('list', { name: 'What waits for you' })
      .getByRole('link', { name: title, exact: true });
    await expect(toApply).toBeVisible({ timeout: 30_000 });
    await shot(olivia.page, testInfo, 'proposal-5-operator-home');
    await toApply.click();
    await expect(olivia.page).toHaveURL(
      new RegExp(`/approvals/proposals/${id}$`),
    );
    await shot(olivia.page, testInfo, 'proposal-6-opened-from-home');
    await olivia.context.close();
  } finally {
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
