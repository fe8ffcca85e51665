import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { GpgHome } from '../../packages/fabric-test-utils/src/gpg';
import {
  BACKEND,
  CI_TOKEN,
  e2eGpg,
  newE2eKey,
  asUser,
  claimAndApprove,
  packetStamp,
  signIn,
  submitAsTenant,
  tokenOf,
  uploadPacket,
} from './helpers';

// The two-person rule end to end on the local default: a tenant member submits a production
// proposal (through the API until the scaffolder template exists), two operators each register
// an OpenPGP key made by the real gpg, sign the proposal's digest and approve it in the browser,
// the gate (which CI may read, never act on) turns green, and an operator marks it applied
// from the page, naming a verified packet (the page refuses without one), then verifies it.
async function gateOf(id: string) {
  const res = await fetch(`${BACKEND}/api/approvals/proposals/${id}/gate`, {
    headers: { Authorization: `Bearer ${CI_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.json();
}

/**
 * Registers a new key in the Signing key panel: get a challenge, sign it by running the very
 * command the panel shows (so its bytes are what the backend checks), paste key and signature.
 */
async function registerKey(page: Page, gpg: GpgHome, email: string) {
  const publicKey = newE2eKey(gpg, email);
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

test('a tenant proposal needs two signed operator approvals before an operator may apply it', async ({
  newContext,
}) => {
  // Three people sign in, each in a fresh browser context that loads the whole app again; on a
  // 2-core CI machine that alone takes most of the default two minutes.
  test.setTimeout(600_000);
  const gpg = e2eGpg();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-approvals-'));
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

    // CI uploads the packets of the apply run and of the verification, signed by Olivia.
    const base = Date.now();
    const [applyRun, verifyRun] = [
      await uploadPacket({
        gpg,
        work,
        signer: 'olivia@e2e.example',
        name: 'binding-apply-run',
        stamp: packetStamp(10, base),
      }),
      await uploadPacket({
        gpg,
        work,
        signer: 'olivia@e2e.example',
        name: 'binding-verify-run',
        stamp: packetStamp(11, base),
      }),
    ];

    await oscar.page.getByRole('button', { name: 'Mark applied' }).click();
    const apply = oscar.page.getByRole('dialog');
    await apply.getByLabel('Reference').fill('CHG-e2e-1');
    await apply.getByRole('button', { name: 'Mark applied' }).click();
    await expect(apply.getByRole('alert')).toContainText(
      'Evidence packet id: is required',
    );
    await apply.getByLabel('Evidence packet id').fill(applyRun);
    await apply.getByRole('button', { name: 'Mark applied' }).click();
    await expect(apply).toBeHidden();
    await expect(oscar.page.getByTestId('proposal-applied')).toContainText(
      applyRun,
    );
    expect(await gateOf(id)).toMatchObject({
      allowed: false,
      reasons: [{ code: 'already-applied' }],
    });

    // Applied: the operator sees Verify and Roll back; verifies with the packet.
    await expect(
      oscar.page.getByRole('button', { name: 'Roll back', exact: true }),
    ).toBeVisible();
    await oscar.page.screenshot({
      path: path.join(__dirname, '..', '.results', 'proposal-applied.png'),
      fullPage: true,
    });
    await oscar.page
      .getByRole('button', { name: 'Verify', exact: true })
      .click();
    const verify = oscar.page.getByRole('dialog');
    await verify.getByLabel('Evidence packet id').fill(verifyRun);
    await verify.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(verify).toBeHidden();
    await expect(oscar.page.getByTestId('proposal-verified')).toContainText(
      verifyRun,
    );
    await olivia.context.close();
    await oscar.context.close();

    // The tenant sees the outcome, and no Verify or Roll back.
    const beaAfter = await asUser(newContext, 'bea.birds');
    await beaAfter.page.goto(`/approvals/proposals/${id}`);
    await expect(beaAfter.page.getByTestId('proposal-verified')).toBeVisible();
    for (const name of ['Verify', 'Roll back', 'Mark applied']) {
      await expect(
        beaAfter.page.getByRole('button', { name, exact: true }),
      ).toHaveCount(0);
    }
    await beaAfter.context.close();
  } finally {
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
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
  // A select's menu is a listbox labelled like the select: pick through the combobox and wait
  // until the menu has closed, or the next click may find both.
  const choose = async (select: string, option: string) => {
    await page
      .getByRole('combobox', { name: new RegExp(`^${select}\\b`) })
      .click();
    await page.getByRole('option', { name: option, exact: true }).click();
    await expect(page.getByRole('listbox')).toBeHidden();
  };
  await choose('State', 'validated (26)');
  await expect(page).not.toHaveURL(/offset=/);
  await expect(page.getByText('1–25 of 26')).toBeVisible();
  await choose('Type', 'capacity-change');
  await expect(page.getByText(/Nothing is waiting for you/)).toBeVisible();
  await choose('Type', 'Any');
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
