import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { signIn } from './helpers';

// The home page as an operator and a tenant member see it at the two common desktop widths: its
// cards read top to bottom without holes between them, nothing inside a card is cut off (the
// operator's "Acceptance older than" line with its plane links wraps), and the sidebar's
// notifications item reads in full. A full-page screenshot of each is kept.

const WIDTHS = [1280, 1920];
/** The layout's gap between two cards of a column (theme spacing 3). */
const GAP_PX = 24;

/** Vertical space between consecutive cards of each column. */
async function gapsBetweenCards(page: Page): Promise<number[]> {
  const gaps: number[] = [];
  for (const column of await page.getByTestId('home-column').all()) {
    const boxes = await column
      .getByTestId('home-card')
      .evaluateAll(cards =>
        cards.map(card => card.getBoundingClientRect().toJSON()),
      );
    for (let i = 1; i < boxes.length; i++) {
      gaps.push(Math.round(boxes[i].top - boxes[i - 1].bottom));
    }
  }
  return gaps;
}

/** Whether the element's content is wider or taller than the box that shows it. */
const overflows = (locator: Locator) =>
  locator.evaluateAll(elements =>
    elements
      .filter(
        el =>
          el.scrollWidth > el.clientWidth + 1 ||
          el.scrollHeight > el.clientHeight + 1,
      )
      .map(el => el.textContent?.slice(0, 60)),
  );

async function checkHome(page: Page, testInfo: TestInfo, user: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 1000 });
    await page.goto('/');
    await expect(page.getByTestId('for-you-role')).toBeVisible();
    await expect(page.getByRole('progressbar')).toHaveCount(0, {
      timeout: 60_000,
    });
    await expect(page.getByTestId('home-card').first()).toBeVisible();
    expect(
      (await gapsBetweenCards(page)).filter(gap => gap > GAP_PX),
      `holes between cards at ${width}px`,
    ).toEqual([]);
    const cards = page.getByTestId('home-card');
    await expect(cards.locator('.MuiCardContent-root')).not.toHaveCount(0);
    expect(
      await overflows(cards.locator('.MuiCardContent-root')),
      `cut-off card content at ${width}px`,
    ).toEqual([]);

    // The notifications item: its label whole, the unread count in its name.
    const notifications = page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: /^Notifications/ });
    await expect(notifications).toHaveAccessibleName(
      /^Notifications(, (\d+|99\+) unread)?$/,
    );
    expect(
      await overflows(
        notifications.getByText('Notifications', { exact: true }),
      ),
    ).toEqual([]);

    await page.screenshot({
      path: testInfo.outputPath(`home-${user}-${width}.png`),
      fullPage: true,
    });
  }
}

test('the operator home reads top to bottom, its stale-acceptance line wrapped', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, 'olivia.operator');
  await checkHome(page, testInfo, 'operator');
  // The stale planes line wraps inside its card at the narrower width too: the theme cuts a
  // dense list item's text to one line (overflow hidden), which a box check would not see.
  await page.setViewportSize({ width: 1280, height: 1000 });
  const stale = page
    .getByRole('list', { name: 'What waits for you' })
    .getByRole('listitem')
    .filter({ hasText: /^Acceptance older than/ });
  await expect(stale.getByRole('link')).not.toHaveCount(0);
  // Backstage prefixes Material UI v5 class names (v5-MuiListItemText-root).
  const text = stale.locator('[class*="MuiListItemText-root"]');
  await expect(text).toHaveCount(1);
  expect(await overflows(text)).toEqual([]);
  const card = page.getByTestId('home-card').filter({ has: stale });
  const [line, frame] = await Promise.all([
    stale.boundingBox(),
    card.boundingBox(),
  ]);
  expect(line!.x + line!.width).toBeLessThanOrEqual(frame!.x + frame!.width);
});

test("a tenant member's home reads top to bottom", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, 'bea.birds');
  await checkHome(page, testInfo, 'tenant');
});
