import { test, expect } from './fixtures';
import { expectAccessible } from './axe';
import { expectSeen, signIn } from './helpers';

// An axe-core scan (WCAG 2.1 A/AA) of the pages people use most: no critical or serious
// violation caused by our code. Stock Backstage parts the app cannot override are excluded by
// selector in axe.ts and listed in the README.
const PAGES: { name: string; path: string; ready: RegExp | string }[] = [
  { name: 'home', path: '/', ready: 'Welcome to Fabric Portal' },
  { name: 'catalog', path: '/catalog', ready: /^All/ },
  { name: 'dns-plane', path: '/catalog/default/plane/dns', ready: 'DNS' },
  { name: 'search', path: '/search?query=DNS%20plane', ready: /results?/ },
  {
    name: 'runbook',
    path: '/docs/default/resource/dns-acceptance',
    ready: 'Purpose',
  },
  { name: 'create', path: '/create', ready: /New site/ },
  { name: 'approvals', path: '/approvals', ready: /Proposals/ },
  { name: 'evidence', path: '/evidence', ready: /^Packets/ },
  { name: 'drift', path: '/drift', ready: /Drift/ },
  { name: 'zakon', path: '/zakon', ready: /^Rules/ },
  { name: 'impact', path: '/operations/impact', ready: /impact/i },
];

for (const { name, path, ready } of PAGES) {
  test(`axe finds no serious violation on ${name}`, async ({ page }) => {
    await signIn(page);
    await page.goto(path);
    await expectSeen(page.getByText(ready).first());
    // Let late cards and tables settle before the scan.
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    await expectAccessible(page, name);
  });
}
