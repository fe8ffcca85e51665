import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { recordA11y } from './axe';
import { expectSeen, openDocs, signIn, submitAsTenant } from './helpers';

// An axe-core scan (WCAG 2.1 A/AA) of every page of our plugins: no critical or serious
// violation caused by our code. Stock Backstage parts the app cannot override are excluded by
// selector AND rule in axe.ts (STOCK_EXCLUSIONS) and listed in docs/testing.md. Each page's
// findings and a full-page screenshot are kept under playwright/.results/a11y/. Every page of a
// group is scanned (soft assertions) so one run reports all of them.

type Visit = { name: string; path: string; ready: RegExp | string };

/** Waits for the page's own text and for every card to finish loading. */
async function settle(page: Page, ready: RegExp | string) {
  await expect(page.getByText(ready).first()).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 90_000,
  });
}

async function scan(page: Page, name: string) {
  // Cards load lazily: scan once nothing is loading any more, not while a spinner is up.
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 90_000,
  });
  const findings = await recordA11y(page, name);
  expect.soft(findings, `axe findings on ${name} (${page.url()})`).toEqual([]);
}

async function scanAll(page: Page, visits: Visit[]) {
  for (const { name, path, ready } of visits) {
    await test.step(name, async () => {
      await page.goto(path);
      await settle(page, ready);
      await scan(page, name);
    });
  }
}

test('axe: the catalog pages of planes, services, tenants and rules', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await signIn(page);
  await scanAll(page, [
    {
      name: 'plane-dns',
      path: '/catalog/default/plane/dns',
      ready: 'Runbooks',
    },
    {
      name: 'plane-data-services',
      path: '/catalog/default/plane/data-services',
      ready: 'backup-run',
    },
    {
      name: 'service-minio',
      path: '/catalog/default/component/minio',
      ready: 'Consumers',
    },
    {
      name: 'tenant-project-birds',
      path: '/catalog/default/tenant/project-birds',
      ready: 'Quotas',
    },
    {
      name: 'tenant-drift',
      path: '/catalog/default/tenant/project-birds/drift',
      ready: 'History',
    },
    {
      name: 'tenant-evidence',
      path: '/catalog/default/tenant/project-birds/evidence',
      ready: /Packets that prove/,
    },
    {
      name: 'tenant-proposals',
      path: '/catalog/default/tenant/project-birds/proposals',
      ready: /Binding and capacity changes/,
    },
    {
      name: 'rule-feasibility-check',
      path: '/catalog/default/zakonrule/feasibility-check',
      // The card's row, not the relations graph's hidden <title> of the same ref.
      ready: 'Rule file',
    },
  ]);
});

test('axe: Approvals (queue and a proposal), Evidence (list and a packet), Drift, ZAKON', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const { id } = await submitAsTenant(`Axe scan proposal (e2e ${Date.now()})`);
  await signIn(page);
  await scanAll(page, [
    { name: 'approvals-queue', path: '/approvals', ready: /^Waiting for me/ },
    {
      name: 'approvals-proposal',
      path: `/approvals/proposals/${id}`,
      ready: 'Gate',
    },
    { name: 'evidence', path: '/evidence', ready: /^Packets/ },
    { name: 'drift', path: '/drift', ready: 'Tenants x providers' },
    { name: 'zakon', path: '/zakon', ready: /^Rules \(/ },
  ]);

  await test.step('evidence-packet', async () => {
    await page.goto('/evidence');
    await settle(page, /^Packets/);
    await page
      .getByTestId('packet-row')
      .first()
      .getByRole('link')
      .first()
      .click();
    await settle(page, 'Evidence packet');
    await scan(page, 'evidence-packet');
  });

  await test.step('approvals-claim-dialog', async () => {
    await page.goto(`/approvals/proposals/${id}`);
    await settle(page, 'Gate');
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await scan(page, 'approvals-claim-dialog');
  });
});

test('axe: the home page, the Operations pages and a runbook', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await signIn(page);
  await scanAll(page, [
    // The home page: its own <main> and h1 (HomeLayout); the sidebar's notifications item.
    { name: 'home-operator', path: '/', ready: /^Acceptance older than/ },
    {
      name: 'operations-impact',
      path: '/operations/impact?failureDomain=proxmox1',
      ready: /proxmox1/,
    },
    { name: 'operations-spof', path: '/operations/spof', ready: /SPOF/ },
    { name: 'operations-alai', path: '/operations/alai', ready: /SENTINEL/ },
    {
      name: 'operations-mc-leases',
      path: '/operations/mission-control/leases',
      ready: /lease/i,
    },
  ]);
  await test.step('runbook', async () => {
    await openDocs(page, '/docs/default/resource/dns-acceptance');
    // TechDocs keeps the page transparent until its styles load: scan what a person reads.
    // The heading, not the table of contents' link of the same name (hidden at this width).
    await expectSeen(page.getByRole('heading', { name: /Purpose/ }).first());
    // The runbook's own content too, nothing tolerated: its code colours come from the app's
    // theme, and its code blocks and tables take keyboard focus (the app's TechDocs addon).
    await scan(page, 'runbook-dns-acceptance');
  });
});

test('axe: what a tenant member sees (queue, Drift, Evidence)', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await signIn(page, 'bea.birds');
  await scanAll(page, [
    { name: 'tenant-approvals', path: '/approvals', ready: /^My requests/ },
    { name: 'tenant-drift-overview', path: '/drift', ready: 'Your tenants' },
    { name: 'tenant-evidence-list', path: '/evidence', ready: /^Packets/ },
  ]);
});
