import type { Page, TestInfo } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectAccessible } from './axe';
import { expectSeen, signIn } from './helpers';

// The acceptance walk, with every non-localhost request refused (fixtures.ts): for each role,
// sign in, see the home page (who is signed in, what waits for them), find the DNS plane by
// search (the first entity result), read a runbook and search inside it. A full-page
// screenshot of every step is attached to the test's results.
//
// Filing and approving a proposal with an evidence reference is being reworked on another
// branch; approvals.spec.ts covers the proposal flow as it stands.
const ROLES = [
  {
    role: 'a tenant',
    username: 'bea.birds',
    name: 'Bea Birds',
    home: /Your tenants/,
  },
  {
    role: 'an operator',
    username: 'olivia.operator',
    name: 'Olivia Operator',
    home: /As a platform operator/,
  },
  {
    role: 'a site owner',
    username: 'wendy.web',
    name: 'Wendy Web',
    home: /Your tenants/,
  },
];

async function step(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
}

for (const { role, username, name, home } of ROLES) {
  test(`acceptance walk as ${role} (${username})`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    await signIn(page, username);

    // Home: who is signed in, and what waits for them.
    await page.goto('/');
    await expectSeen(page.getByTestId('signed-in-as'));
    await expect(page.getByTestId('signed-in-as')).toContainText(name);
    await expectSeen(page.getByTestId('for-you-role'));
    await expect(page.getByTestId('for-you-role')).toHaveText(home);
    await expect(page.getByText(/Enable visit tracking/)).toHaveCount(0);
    await step(page, testInfo, `${username}-1-home`);
    await expectAccessible(page, `walk-${username}-home`);

    // Search: the DNS plane is the first entity among the results.
    // Entity results link to /catalog/<namespace>/<kind>/<name> (the sidebar's is /catalog).
    const firstEntity = page.locator('a[href^="/catalog/"]').first();
    await expect(async () => {
      await page.goto('/search?query=DNS%20plane');
      await expect(firstEntity).toHaveAttribute(
        'href',
        '/catalog/default/plane/dns',
        { timeout: 5_000 },
      );
    }).toPass({ timeout: 120_000 });
    await step(page, testInfo, `${username}-2-search`);
    await firstEntity.click();
    await expect(page).toHaveURL(/\/catalog\/default\/plane\/dns/);
    await expectSeen(page.getByRole('heading', { name: /DNS/ }).first());
    await step(page, testInfo, `${username}-3-plane`);

    // A runbook, readable, and searched from its own search box.
    await page.goto('/docs/default/resource/dns-acceptance');
    await expectSeen(page.getByRole('heading', { name: /Purpose/ }).first());
    await step(page, testInfo, `${username}-4-runbook`);
    const box = page.getByPlaceholder(/^Search/).last();
    await box.fill('recursion');
    const hit = page.getByRole('option').first();
    await expectSeen(hit);
    await step(page, testInfo, `${username}-5-runbook-search`);
    await hit.click();
    await expect(page).toHaveURL(/\/docs\/default\/resource\/dns-acceptance/);
    await step(page, testInfo, `${username}-6-runbook-result`);
  });
}
