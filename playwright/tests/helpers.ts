import { Page, expect } from '@playwright/test';

/** The shared password of the development identity provider's users (app-config.yaml). */
export const DEV_PASSWORD = 'fabric-dev';

/**
 * Opens the sign-in popup and submits the development identity provider's login form.
 * Returns the popup (still open when the identity provider refused the credentials) and a
 * promise that settles when it closes (Backstage closes it once the sign-in is done).
 */
export async function submitSignIn(
  page: Page,
  username: string,
  password: string,
) {
  await page.goto('/');
  const signInButton = page.getByRole('button', { name: 'Sign In' });
  await expect(signInButton).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await signInButton.click();
  const popup = await popupOpened;
  await expect(
    popup.getByRole('heading', { name: 'Sign in to Fabric ID' }),
  ).toBeVisible();
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  return { popup, closed };
}

/**
 * Signs in through the real OpenID Connect flow of the local default: Backstage opens a popup
 * on the development identity provider, which sends the code back; the popup then closes.
 */
export async function signIn(
  page: Page,
  username = 'olivia.operator',
  password = DEV_PASSWORD,
) {
  const { closed } = await submitSignIn(page, username, password);
  await closed;
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
}

/** A link in the sidebar navigation, by its visible label. */
export function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}
