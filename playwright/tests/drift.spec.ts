import { expect, test } from './fixtures';
import { BACKEND, CI_TOKEN, signIn } from './helpers';

// Drift end to end on the local default: CI posts a PASS and then a FAIL for project-birds
// through the API with its static token, and a member of the tenant sees the FAIL on the
// tenant's Drift tab, with the earlier PASS on the history chart.

async function postRun(body: object): Promise<{ id: string; verdict: string }> {
  const res = await fetch(`${BACKEND}/api/drift/runs`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${CI_TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()).run;
}

test('a tenant member sees a FAIL posted by CI on the Drift tab, after the earlier PASS', async ({
  page,
}) => {
  // The local database keeps earlier runs; a source of its own makes this test's scope fresh.
  const stamp = Date.now();
  const source = `e2e/drift-${stamp}`;
  const resource = `birds-dev/max_connections-${stamp}`;
  const run = (verdict: 'PASS' | 'FAIL', observedAt: Date) => ({
    source,
    environment: 'samakia-dev',
    tenant: 'project-birds',
    observedAt: observedAt.toISOString(),
    findings: [
      {
        provider: 'postgres',
        resource,
        class: verdict === 'PASS' ? 'in-sync' : 'capacity',
        verdict,
        declared: { max_connections: 200 },
        observed: { max_connections: verdict === 'PASS' ? 200 : 500 },
        message:
          verdict === 'PASS' ? undefined : 'max_connections raised by hand',
      },
    ],
  });
  const pass = await postRun(run('PASS', new Date(stamp - 60 * 60 * 1000)));
  const fail = await postRun(run('FAIL', new Date(stamp - 60 * 1000)));
  expect([pass.verdict, fail.verdict]).toEqual(['PASS', 'FAIL']);

  await signIn(page, 'bea.birds');
  await page.goto('/catalog/default/tenant/project-birds/drift');

  // The summary is written for the tenant, and the FAIL is in the declared-vs-observed table.
  await expect(page.getByText('Your drift summary')).toBeVisible();
  await expect(page.getByTestId('drift-headline')).toContainText('FAIL');
  const findings = page.getByRole('table', { name: 'Drift findings' });
  const row = findings.getByRole('row').filter({ hasText: resource });
  await expect(row).toHaveAttribute('data-verdict', 'FAIL');
  await expect(row.getByLabel(`Declared ${resource}`)).toContainText('200');
  await expect(row.getByLabel(`Observed ${resource}`)).toContainText('500');
  await expect(row).toContainText('max_connections raised by hand');

  // The history chart has a point for each run: the earlier PASS and the FAIL.
  const chart = page.getByTestId('drift-history-chart');
  await expect(chart.locator(`[data-run-id="${pass.id}"]`)).toHaveAttribute(
    'data-verdict',
    'PASS',
  );
  await expect(chart.locator(`[data-run-id="${fail.id}"]`)).toHaveAttribute(
    'data-verdict',
    'FAIL',
  );
  await expect(
    chart.getByRole('img', { name: new RegExp(`^PASS at .* from ${source}`) }),
  ).toBeVisible();

  // Signals only: nothing on the tab offers to apply or fix anything.
  await expect(
    page.getByRole('button', { name: /apply|fix|remediate/i }),
  ).toHaveCount(0);
});
