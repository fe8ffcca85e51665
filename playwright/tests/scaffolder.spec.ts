import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import {
  BACKEND,
  DEV_PASSWORD,
  backendCall,
  signIn,
  tokenOf,
} from './helpers';
import { chooseTemplate, review } from './templateSteps';

// The other templates in the browser on the local default profile: an operator creates a new
// site, which is published to a local git repository and registered, and opens its entity page;
// a user who may complete no template is offered none, and a refused task writes nothing.
const repoRoot = path.resolve(__dirname, '../..');

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
