import { test, expect } from './fixtures';
import { NEWER_VERSION_BANNER, expectSeen, openDocs, signIn } from './helpers';

// Runbooks render with no request leaving the machine (every spec blocks other hosts and fails
// on a try), are readable — not an opacity-0 page Playwright would call visible — and show no
// "newer version" banner when nothing changed since they were built.

test('search finds the MinIO quorum guard runbook, and its page is readable', async ({
  page,
}) => {
  await signIn(page);
  // The search index is rebuilt every minute locally; retry until the runbook is indexed.
  const result = page
    .locator('a[href*="/docs/default/resource/minio-quorum-guard"]')
    .first();
  await expect(async () => {
    await page.goto('/search?query=quorum');
    await expect(result).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  const synced = page.waitForEvent('requestfinished', request =>
    request.url().includes('/api/techdocs/sync/'),
  );
  await result.click();
  await expect(page).toHaveURL(/\/docs\/default\/resource\/minio-quorum-guard/);
  await expectSeen(page.getByRole('heading', { name: /^Steps/ }).first());
  await synced;
  await expect(page.getByText(NEWER_VERSION_BANNER)).toHaveCount(0);
});

test('the MinIO plane links to its runbooks, which open readable and current', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/plane/minio');
  await expect(page.getByText('Runbooks', { exact: true })).toBeVisible();
  const link = page.locator(
    'a[href="/docs/default/resource/minio-quorum-guard"]',
  );
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/docs\/default\/resource\/minio-quorum-guard/);
  await expectSeen(page.getByRole('heading', { name: /Purpose/ }).first());
});

test('a runbook opened twice stays current: no "newer version" banner either time', async ({
  page,
}) => {
  await signIn(page);
  for (const visit of [1, 2]) {
    await openDocs(page, '/docs/default/resource/dns-acceptance');
    await expectSeen(page.locator('article h1').first());
    await expect(
      page.getByText(NEWER_VERSION_BANNER),
      `visit ${visit}`,
    ).toHaveCount(0);
  }
});
