import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

test('search finds the MinIO quorum guard runbook and opens its steps', async ({
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
  await result.click();
  await expect(page).toHaveURL(/\/docs\/default\/resource\/minio-quorum-guard/);
  await expect(
    page.getByRole('heading', { name: /^Steps/ }).first(),
  ).toBeVisible({ timeout: 60_000 });
});

test('the MinIO plane links to its runbooks', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/plane/minio');
  await expect(page.getByText('Runbooks', { exact: true })).toBeVisible();
  const link = page.locator(
    'a[href="/docs/default/resource/minio-quorum-guard"]',
  );
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/docs\/default\/resource\/minio-quorum-guard/);
  await expect(
    page.getByRole('heading', { name: /Purpose/ }).first(),
  ).toBeVisible({
    timeout: 60_000,
  });
});
