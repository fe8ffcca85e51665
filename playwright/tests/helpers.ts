import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

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

/**
 * What a person sees, not what Playwright's `toBeVisible` accepts (it counts `opacity: 0` as
 * visible): the element has a size, lies in the page, and neither it nor any ancestor — across
 * shadow roots, as in TechDocs pages — is transparent, hidden or not displayed.
 */
export async function expectSeen(locator: Locator) {
  await expect(locator).toBeVisible();
  await expect
    .poll(
      () =>
        locator.evaluate(element => {
          let opacity = 1;
          let node: Element | null = element;
          while (node) {
            const style = getComputedStyle(node);
            if (style.display === 'none' || style.visibility !== 'visible') {
              return 0;
            }
            opacity *= Number(style.opacity);
            node =
              node.parentElement ??
              ((node.getRootNode() as ShadowRoot).host || null);
          }
          const box = element.getBoundingClientRect();
          return box.width > 0 && box.height > 0 ? opacity : 0;
        }),
      { message: 'effective opacity of what a person should read' },
    )
    .toBe(1);
  expect((await locator.innerText()).trim()).not.toBe('');
}

/**
 * Opens a runbook (or any TechDocs page) at `path` and waits for TechDocs' check of whether it
 * is current (the sync request) to finish; returns the page's content heading locator helper.
 */
export async function openDocs(page: Page, path: string) {
  const synced = page.waitForEvent('requestfinished', request =>
    request.url().includes('/api/techdocs/sync/'),
  );
  await page.goto(path);
  await synced;
}

/** TechDocs shows this when the docs were rebuilt while open; only a real change may cause it. */
export const NEWER_VERSION_BANNER =
  /A newer version of this documentation is now available/;
