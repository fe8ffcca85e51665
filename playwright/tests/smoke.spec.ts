import { test, expect } from './fixtures';
import { signIn, sidebarLink } from './helpers';

test('sign in, open the catalog and an entity page', async ({ page }) => {
  await signIn(page);

  await expect(page.getByText('Welcome to Fabric Portal')).toBeVisible();

  await sidebarLink(page, 'Catalog').click();
  await expect(page).toHaveURL(/\/catalog/);

  // Open an entity from the sample catalog through its link in the table.
  await page.goto('/catalog?filters[kind]=group&filters[user]=all');
  const operators = page.getByRole('link', { name: 'Platform operators' });
  await expect(operators.first()).toBeVisible();
  await operators.first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/group\/platform-operators/);
  await expect(
    page.getByRole('heading', { name: 'Platform operators' }).first(),
  ).toBeVisible();
});
