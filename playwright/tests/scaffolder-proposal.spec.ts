import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  e2eGpg,
  packetStamp,
  registerKeyByApi,
  signIn,
  uploadPacket,
} from './helpers';
import { chooseTemplate, review } from './templateSteps';

// "Tenant proposal" in the browser on the local default profile: a tenant member asks for more
// capacity (quotas pre-filled from her tenant, the difference shown in the form, evidence cited)
// and finds the proposal on the Approvals page.

test('a tenant member files a tenant proposal from the template and finds it on the Approvals page', async ({
  page,
}) => {
  // Form, a refused Review, the task and the Approvals page: more than the default 2 minutes on
  // a busy machine.
  test.setTimeout(240_000);
  // A verified packet of the birds to cite from the form (signed by a registered operator key).
  const gpg = e2eGpg();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-scaffolder-'));
  const packetName = `birds-capacity-${Date.now().toString(36)}`;
  let packetId: string;
  try {
    const email = `olivia.${packetName}@e2e.example`;
    await registerKeyByApi(gpg, 'olivia.operator', email);
    packetId = await uploadPacket({
      gpg,
      work,
      signer: email,
      name: packetName,
      stamp: packetStamp(7),
    });
  } finally {
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }

  await signIn(page, 'bea.birds');
  await chooseTemplate(page, 'Tenant proposal');

  // Bea's team owns one tenant, so the picker offers only that one and picks it for her, by
  // its title; the environment picker offers only the birds' environments, by title too.
  await expect(page.getByRole('combobox', { name: 'Tenant' })).toHaveValue(
    'Project Birds',
  );
  await page.getByRole('combobox', { name: 'Target environment' }).click();
  // Birds' own environments only: the Samakia rungs and, since the promotion walk, Run/Operate's.
  await expect(page.getByRole('option')).toHaveText([
    'Run/Operate dev',
    'Run/Operate prod',
    'Samakia dev',
    'Samakia production',
    'Samakia staging',
  ]);
  await page.screenshot({
    path: test.info().outputPath('tenant-proposal-pickers.png'),
    fullPage: true,
  });
  await page
    .getByRole('option', { name: 'Samakia production', exact: true })
    .click();
  await expect(
    page.getByText(/tenant:default\/|resource:default\//),
  ).toHaveCount(0);

  // Capacity is the default change. The quota inputs come pre-filled with the tenant's current
  // quotas (catalog/tenants.yaml), read from the catalog as bea.
  const memory = page.getByRole('spinbutton', { name: /^Memory \(GiB\)/ });
  await expect(memory).toHaveValue('32');
  await expect(
    page.getByRole('spinbutton', { name: /^CPU cores/ }),
  ).toHaveValue('8');
  await expect(
    page.getByRole('spinbutton', { name: /^Connections/ }),
  ).toHaveValue('200');
  const difference = page.getByRole('region', {
    name: 'Requested difference',
  });
  await expect(difference).toContainText('change at least one quota');

  // Nothing changed yet: the field's validation keeps her on the form, listing the problem
  // above it. (Wait for that list: the Stepper writes the submitted values back when its
  // validation finishes, so typing before then would be overwritten.)
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(
    page
      .getByRole('listitem')
      .filter({ hasText: 'change at least one quota' })
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Review', exact: true }),
  ).toBeEnabled();

  // A change shows up as current → requested before anything is submitted.
  await memory.fill('40');
  await expect(page.getByText('32 → 40')).toBeVisible();
  const diffTable = difference.getByRole('table', {
    name: 'Current and requested values',
  });
  await expect(diffTable.getByRole('row')).toHaveCount(2);
  await expect(
    diffTable.getByRole('row', { name: /Memory \(GiB\)\s*32\s*40/ }),
  ).toBeVisible();

  const title = `More memory for the birds API (e2e ${Date.now()})`;
  await page.getByRole('textbox', { name: /^Title/ }).fill(title);

  // She cites the packet from the list of the birds' packets, as a verification.
  const packets = page.getByRole('table', { name: 'Evidence packets to cite' });
  const packetRow = packets.getByRole('row').filter({ hasText: packetName });
  await expect(packetRow).toContainText('verified');
  await page.getByRole('checkbox', { name: `Cite ${packetName}` }).check();
  await page
    .getByRole('combobox', { name: `Kind of ${packetName}` })
    .selectOption('verification');
  await expect(
    page
      .getByRole('table', { name: 'Drift runs to cite' })
      .or(page.getByText(/^No drift run of project-birds in samakia-prod/)),
  ).toBeVisible();
  await packets.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: test.info().outputPath('tenant-proposal-packet-picker.png'),
    fullPage: true,
  });

  await review(page, async () => {
    // The Review step lists the difference, current → requested, before Create.
    await expect(
      page.getByRole('row', { name: /Requested difference/ }),
    ).toContainText('Memory (GiB): 32 → 40');
    // It names the tenant, the environment and the cited packet as a person reads them: titles,
    // the packet's kind and title, never a ref or a uuid.
    await expect(page.getByRole('row', { name: /^Tenant / })).toHaveText(
      /^Tenant\s*Project Birds$/,
    );
    await expect(
      page.getByRole('row', { name: /^Target environment / }),
    ).toHaveText(/^Target environment\s*Samakia production$/);
    await expect(
      page.getByRole('row', { name: /^Evidence packets / }),
    ).toContainText(`Verification — ${packetName}`);
    await expect(
      page.getByRole('cell', {
        name: /tenant:|resource:|[0-9a-f]{8}-[0-9a-f]{4}-/,
      }),
    ).toHaveCount(0);
    await page.screenshot({
      path: test.info().outputPath('tenant-proposal-review.png'),
      fullPage: true,
    });
  });

  // The task runs as bea and links to the proposal.
  const proposalLink = page.getByRole('link', { name: 'Open the proposal' });
  await expect(proposalLink).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('quotas.memoryGiB').first()).toBeVisible();

  await page.goto('/approvals?view=requested');
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(row.getByText('capacity-change')).toBeVisible();
  await row.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(/\/approvals\/proposals\/[0-9a-f-]{36}$/);
  // Submitted in her name, not the scaffolder's.
  await expect(
    page.getByRole('row', { name: 'Requester Bea Birds' }),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: 'Type capacity-change' }),
  ).toBeVisible();
  // The cited packet, resolved by the gate.
  const cited = page
    .getByRole('table', { name: 'Evidence packets' })
    .getByRole('row')
    .filter({ hasText: packetId });
  await expect(cited).toContainText('verification');
  await expect(cited).toContainText('verified');
});
