import { Page, expect } from '@playwright/test';

/** Signs in through the local default's development sign-in page. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
}

/** A link in the sidebar navigation, by its visible label. */
export function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}
