import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { signIn } from './helpers';

// The Consumers card of plane and service pages asks the catalog which tenants depend on the
// entity, as the signed-in user: an operator sees every consuming tenant, a tenant member only
// their own. Nothing but the local portal is reachable from the page.

async function localOnly(page: Page) {
  await page.context().route(
    url => !['localhost', '127.0.0.1'].includes(url.hostname),
    route => route.abort(),
  );
}

test("an operator sees every tenant consuming Samakia's PostgreSQL executor", async ({
  page,
}, testInfo) => {
  await localOnly(page);
  await signIn(page, 'olivia.operator');
  await page.goto('/catalog/default/component/samakia-executor-postgres');
  const consumers = page.getByRole('table', { name: 'Consuming tenants' });
  await expect(
    consumers.getByRole('link', { name: 'Project Birds' }),
  ).toBeVisible();
  await expect(
    consumers.getByRole('link', { name: 'Project Harbor' }),
  ).toBeVisible();
  await consumers.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: testInfo.outputPath('consumers-operator-executor-postgres.png'),
    fullPage: true,
  });

  // A plane no tenant consumes says so: Samakia's tenants do not use 254Carbon's data services.
  for (const plane of ['minio', 'data-services']) {
    await page.goto(`/catalog/default/plane/${plane}`);
    await expect(
      page.getByText('No tenant you may see consumes this plane.'),
    ).toBeVisible();
  }
  await page.screenshot({
    path: testInfo.outputPath('consumers-operator-minio.png'),
    fullPage: true,
  });
});

test('a tenant member sees only their own tenant among the consumers', async ({
  page,
}, testInfo) => {
  await localOnly(page);
  await signIn(page, 'bea.birds');
  for (const path of ['/catalog/default/component/samakia-executor-postgres']) {
    await page.goto(path);
    const consumers = page.getByRole('table', { name: 'Consuming tenants' });
    await expect(
      consumers.getByRole('link', { name: 'Project Birds' }),
    ).toBeVisible();
    await expect(consumers.getByRole('row')).toHaveCount(2);
    await expect(page.getByText('Project Harbor')).toHaveCount(0);
  }
  await page.screenshot({
    path: testInfo.outputPath('consumers-tenant-executor-postgres.png'),
    fullPage: true,
  });
});
