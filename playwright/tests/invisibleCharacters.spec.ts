import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import { BACKEND, CI_TOKEN, DEV_PASSWORD, signIn } from './helpers';

// User text with a right-to-left override (U+202E) shows its invisible character as a visible
// <U+202E> marker instead of reversing what follows: a drift message on the Drift tab and a
// proposal's requested change on its page. Names and titles are refused by the API outright.
const SCREENSHOTS = `${__dirname}/../.results/invisible-characters`;

test('a drift message spelled with U+202E shows the marker, not reversed text', async ({
  page,
}) => {
  const stamp = Date.now();
  const res = await fetch(`${BACKEND}/api/drift/runs`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${CI_TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      source: `e2e/bidi-${stamp}`,
      environment: 'samakia-dev',
      tenant: 'project-birds',
      findings: [
        {
          provider: 'postgres',
          resource: `birds-dev/bidi-${stamp}`,
          class: 'capacity',
          verdict: 'FAIL',
          declared: { owner: 'dba' },
          observed: { owner: 'a\u202Enimda' },
          // Unmarked, this reads "max_connections cleared by ops".
          message: 'max_connections \u202Espo yb deraelc',
        },
      ],
    }),
  });
  expect(res.status).toBe(201);

  await signIn(page, 'bea.birds');
  await page.goto('/catalog/default/tenant/project-birds/drift');
  const row = page
    .getByRole('table', { name: 'Drift findings' })
    .getByRole('row')
    .filter({ hasText: `bidi-${stamp}` });
  await expect(row).toContainText('max_connections <U+202E>spo yb deraelc');
  await expect(row).toContainText('a<U+202E>nimda');
  // Not even the tenant's summary, which quotes the message, shows it raw.
  await expect(page.getByText('Your drift summary')).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain('\u202E');
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/drift.png`, fullPage: true });
});

test('a proposal whose change holds U+202E shows the marker on its page', async ({
  page,
}) => {
  const { submitted } = await oidcSignIn({
    backendUrl: BACKEND,
    env: 'development',
    username: 'bea.birds',
    password: DEV_PASSWORD,
  });
  const token = frameResponse(submitted).response.backstageIdentity.token;
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  // A title with U+202E is refused, saying why.
  const refused = await fetch(`${BACKEND}/api/approvals/proposals`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      tenant: 'project-birds',
      type: 'other',
      environment: 'samakia-dev',
      title: 'invoice-\u202Egnp.exe',
      change: { description: 'x' },
    }),
  });
  expect(refused.status).toBe(400);
  expect((await refused.json()).error.message).toContain('U+202E');

  const created = await fetch(`${BACKEND}/api/approvals/proposals`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      tenant: 'project-birds',
      type: 'other',
      environment: 'samakia-dev',
      title: `Rename the invoice export ${Date.now()}`,
      change: { description: 'rename invoice-\u202Egnp.exe' },
    }),
  });
  expect(created.status).toBe(201);
  const { id } = await created.json();

  await signIn(page);
  await page.goto(`/approvals/proposals/${id}`);
  const change = page.getByTestId('proposal-change-json');
  await expect(change).toContainText('rename invoice-<U+202E>gnp.exe');
  expect(await page.locator('body').innerText()).not.toContain('\u202E');
  await change.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/proposal.png`,
    fullPage: true,
  });
});
