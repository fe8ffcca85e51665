import type { Page } from '@playwright/test';
import { expect } from './fixtures';

// Steps through a scaffolder template in the browser, shared by the template specs.


/** Opens a template's form from the Create page. */
export async function chooseTemplate(page: Page, title: string) {
  await page.goto('/create');
  // The card is the closest ancestor of the template's title that holds a Choose button.
  await page
    .getByRole('heading', { level: 4, name: title, exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' })
    .click();
  await expect(page).toHaveURL(/\/create\/templates\/default\//);
  await expect(
    page.getByRole('heading', { name: title }).first(),
  ).toBeVisible();
}

/** Walks the stepper to the review, lets `check` look at it, and starts the task. */
export async function review(page: Page, check?: () => Promise<void>) {
  for (;;) {
    const next = page.getByRole('button', { name: 'Next', exact: true });
    if (await next.isVisible()) {
      await next.click();
      continue;
    }
    const reviewButton = page.getByRole('button', {
      name: 'Review',
      exact: true,
    });
    if (await reviewButton.isVisible()) {
      await reviewButton.click();
      break;
    }
    await page.waitForTimeout(200);
  }
  const create = page.getByRole('button', { name: 'Create', exact: true });
  await expect(create).toBeVisible();
  await check?.();
  await create.click();
}
