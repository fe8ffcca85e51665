import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { DEV_PASSWORD, sidebarLink, signIn, submitSignIn } from './helpers';

// Sign-in goes through the development OpenID Connect provider; who you are comes from the
// catalog: the settings page shows the catalog user and the groups it owns through.

async function openSettings(page: Page) {
  await page.goto('/settings');
  return page.getByText('Ownership Entities', { exact: false });
}

test('an operator signs in, sees the catalog identity and signs out; a tenant member signs in next', async ({
  page,
}) => {
  await signIn(page, 'olivia.operator');
  const ownership = await openSettings(page);
  await expect(ownership).toBeVisible();
  await expect(page.getByText('Olivia Operator').first()).toBeVisible();
  await expect(page.getByText('olivia.operator@samakia.example')).toBeVisible();
  await expect(
    page.getByRole('link', { name: /platform.operators/i }).first(),
  ).toBeVisible();

  // Sign out through the user settings menu: back on the sign-in page.
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();

  // The identity provider asks again (no silent reuse of Olivia's session).
  await signIn(page, 'tara.tenant');
  await openSettings(page);
  await expect(page.getByText('Tara Tenant').first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: /team.birds/i }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /platform.operators/i }),
  ).toHaveCount(0);
});

test('the session survives a page reload', async ({ page }) => {
  await signIn(page, 'oscar.operator');
  await page.reload();
  await openSettings(page);
  await expect(page.getByText('Oscar Operator').first()).toBeVisible();
});

test('a wrong password is refused with an error and no sign-in', async ({
  page,
}) => {
  const { popup } = await submitSignIn(
    page,
    'olivia.operator',
    'wrong-password',
  );
  await expect(popup.getByRole('alert')).toHaveText(
    'Wrong username or password.',
  );
  await expect(popup.getByLabel('Username')).toHaveValue('olivia.operator');
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();

  // The right password in the same window still works.
  const closed = popup.waitForEvent('close');
  await popup.getByLabel('Password').fill(DEV_PASSWORD);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await closed;
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
});
