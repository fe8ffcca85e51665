import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

test('sign in, open the catalog and an entity page', async ({ page }) => {
  await signIn(page);

  await expect(page.getByText('Welcome to Fabric Portal')).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog/);

  // Open a system component from the sample catalog through its link in the table.
  await page.goto('/catalog?filters[kind]=group&filters[user]=all');
  const operators = page.getByRole('link', { name: /platform-operators/i }).first();
  await expect(operators).toBeVisible();
  await operators.click();
  await expect(page).toHaveURL(/\/catalog\/default\/group\/platform-operators/);
  await expect(page.getByRole('heading', { name: /platform-operators/i }).first()).toBeVisible();
});
