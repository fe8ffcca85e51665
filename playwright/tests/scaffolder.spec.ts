import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import {
  BACKEND,
  DEV_PASSWORD,
  backendCall,
  e2eGpg,
  packetStamp,
  registerKeyByApi,
  signIn,
  tokenOf,
  uploadPacket,
} from './helpers';

// The scaffolder templates in the browser on the local default profile: a tenant member asks
// for more capacity through "Tenant proposal" (quotas pre-filled from her tenant, the difference
// shown in the form) and finds the proposal on the Approvals page; an
// operator creates a new site, which is published to a local git repository and registered, and
// opens its entity page.
const repoRoot = path.resolve(__dirname, '../..');

/** Opens a template's form from the Create page. */
async function chooseTemplate(page: Page, title: string) {
  await page.goto('/create');
  // The card is the closest ancestor of the template's title that holds a Choose button.
  await page
    .getByRole('heading', { level: 4, name: title, exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' })
    .click();
  await expect(page).toHaveURL(/\/create\/templates\/default\//);
  await expect(
    page.getByRole('heading', { name: title }).first(),
  ).toBeVisible();
}

/** Walks the stepper to the review, lets `check` look at it, and starts the task. */
async function review(page: Page, check?: () => Promise<void>) {
  for (;;) {
    const next = page.getByRole('button', { name: 'Next', exact: true });
    if (await next.isVisible()) {
      await next.click();
      continue;
    }
    const reviewButton = page.getByRole('button', {
      name: 'Review',
      exact: true,
    });
    if (await reviewButton.isVisible()) {
      await reviewButton.click();
      break;
    }
    await page.waitForTimeout(200);
  }
  const create = page.getByRole('button', { name: 'Create', exact: true });
  await expect(create).toBeVisible();
  await check?.();
  await create.click();
}

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

test.describe('an operator creates a new site', () => {
  // Unique per run: the local default keeps its catalog and repositories under .data/.
  const name = `alai-e2e${Date.now().toString(36)}-web`;

  test.afterAll(async () => {
    const { submitted } = await oidcSignIn({
      backendUrl: BACKEND,
      env: 'development',
      username: 'olivia.operator',
      password: DEV_PASSWORD,
    });
    const token = frameResponse(submitted).response.backstageIdentity.token;
    const headers = { Authorization: `Bearer ${token}` };
    const location = await fetch(
      `${BACKEND}/api/catalog/locations/by-entity/component/default/${name}`,
      { headers },
    );
    if (location.ok) {
      const { id } = await location.json();
      await fetch(`${BACKEND}/api/catalog/locations/${id}`, {
        method: 'DELETE',
        headers,
      });
    }
    fs.rmSync(path.join(repoRoot, '.data/scaffolder-repos', name), {
      recursive: true,
      force: true,
    });
  });

  test('publishes it locally, registers it and opens its entity page', async ({
    page,
  }) => {
    await signIn(page, 'olivia.operator');
    await chooseTemplate(page, 'New site');

    // The naming convention is enforced in the form, in words: never a regular expression.
    const siteName = page.getByRole('textbox', { name: /^Name/ });
    await siteName.fill('shop-web');
    await page.getByRole('textbox', { name: /^Domain/ }).fill('e2e.alai.no');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(siteName).toHaveAccessibleDescription(
      /use alai-<product>-web for an ALAI property or client-<slug>-web/,
    );
    await expect(page.getByText(/pattern|\^\(alai/)).toHaveCount(0);
    await page.screenshot({
      path: test.info().outputPath('new-site-name-rule.png'),
      fullPage: true,
    });

    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByRole('textbox', { name: /^Title/ }).fill(`E2E ${name}`);
    await review(page);

    const open = page.getByRole('link', {
      name: 'Open the site in the catalog',
    });
    await expect(open).toBeVisible({ timeout: 90_000 });
    await open.click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/component/${name}`),
    );
    await expect(
      page.getByRole('heading', { name: `E2E ${name}` }).first(),
    ).toBeVisible();
    await expect(page.getByText('e2e.alai.no').first()).toBeVisible();
    expect(
      fs.existsSync(
        path.join(repoRoot, '.data/scaffolder-repos', name, '.git'),
      ),
    ).toBe(true);
  });
});

test('wendy.web is offered no template she cannot complete, and a refused task writes nothing', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, 'wendy.web');
  await page.goto('/create');
  // The page has loaded its (empty) list when the stock "no templates" notice shows.
  await expect(page.getByText(/No templates found/i).first()).toBeVisible();
  for (const title of ['New site', 'New ZAKON rule', 'Tenant proposal']) {
    await expect(
      page.getByRole('heading', { level: 4, name: title, exact: true }),
    ).toHaveCount(0);
  }
  await page.screenshot({
    path: test.info().outputPath('create-as-wendy.png'),
    fullPage: true,
  });

  // Through the API she cannot start New site either: the template is not hers to read.
  const wendy = await tokenOf('wendy.web');
  const name = `alai-wendy${Date.now().toString(36)}-web`;
  const started = await backendCall(wendy, '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/new-site',
    values: {
      name,
      domain: 'wendy.alai.no',
      framework: 'html',
      owner: 'group:default/web-team',
    },
  });
  expect(started.status).toBeGreaterThanOrEqual(400);
  expect(started.status).toBeLessThan(500);
  expect(
    fs.existsSync(path.join(repoRoot, '.data/scaffolder-repos', name)),
  ).toBe(false);

  // A tenant member who asks for another tenant's change passes the form's list (the template is
  // hers) but is refused by the first step: one sentence in the log, no stack trace, no later step.
  const bea = await tokenOf('bea.birds');
  const title = `Orchard capacity by bea (e2e ${Date.now()})`;
  const task = await backendCall(bea, '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/tenant-proposal',
    values: {
      tenant: 'tenant:default/project-orchard',
      environment: 'resource:default/samakia-dev',
      changeType: 'capacity-change',
      title,
      quotas: { cpuCores: 64 },
    },
  });
  expect(task.status).toBe(201);
  let status = '';
  for (let i = 0; i < 120 && !['failed', 'completed'].includes(status); i++) {
    await page.waitForTimeout(500);
    status = (
      await backendCall(bea, `/api/scaffolder/v2/tasks/${task.body.id}`)
    ).body.status;
  }
  expect(status).toBe('failed');
  const events = (
    await backendCall(bea, `/api/scaffolder/v2/tasks/${task.body.id}/events`)
  ).body as Array<{
    type: string;
    body: { message?: string; stepId?: string };
  }>;
  const log = events
    .filter(e => e.type === 'log')
    .map(e => e.body.message ?? '')
    .join('\n');
  expect(log).toContain(
    'You may not use Tenant proposal: it needs the permission approvals.proposal.create on the chosen tenant',
  );
  expect(log).not.toMatch(/\n\s+at /);
  // The later steps never ran: the scaffolder only logs that it skipped them.
  const later = events.filter(
    e => e.body.stepId === 'diff' || e.body.stepId === 'submit',
  );
  expect(later.map(e => e.body.message)).toEqual([
    'Skipping step diff because a previous step failed',
    'Skipping step submit because a previous step failed',
  ]);
  // Nothing was submitted: an operator finds no proposal of that title.
  const olivia = await tokenOf('olivia.operator');
  const found = await backendCall(
    olivia,
    `/api/approvals/proposals?q=${encodeURIComponent(title)}`,
  );
  expect(found.status).toBe(200);
  expect(found.body.total).toBe(0);
});
