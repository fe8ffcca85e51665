import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Stock Backstage parts the app cannot change, each with the one rule it breaks there: a finding
 * is dropped only when its rule is `rule` AND its element lies inside `selector` (the rest of the
 * page, and every other rule on that element, are still checked). They are listed in the README
 * ("Accessibility") with the report to file upstream; nothing of ours may be added here.
 */
export const STOCK_EXCLUSIONS: {
  selector: string;
  rule: string;
  why: string;
}[] = [
  {
    // TechDocs' reader: the settings button of its subheader carries only an icon.
    selector: '[data-testid="techdocs-reader-page-subheader"] button',
    rule: 'button-name',
    why: '@backstage/plugin-techdocs: unnamed "settings" icon button',
  },
  {
    // The catalog table (core-components Table over material-table): the sort label is a
    // role="button" inside the sortable column header, which material-table also makes focusable.
    selector: 'th [class*="MuiTableSortLabel-root"]',
    rule: 'nested-interactive',
    why: '@backstage/core-components (Table): sort label nested in a focusable header',
  },
  {
    // The page header's sub-page tabs (plugin-app's page layout renders @backstage/ui's
    // PluginHeader: react-aria Tabs with a TabList and no TabPanel), so each tab's aria-controls
    // names a panel that is not rendered. Seen on the scaffolder's "Templates" tab.
    selector: '[role="tablist"] [role="tab"]',
    rule: 'aria-valid-attr-value',
    why: '@backstage/ui (PluginHeader tabs): aria-controls points to a missing panel',
  },
  {
    // The scaffolder's template cards: the "view details" icon button wraps an empty link.
    selector: '[id^="viewDetail-template:"]',
    rule: 'link-name',
    why: '@backstage/plugin-scaffolder-react (TemplateCard): icon-only link without a name',
  },
  {
    selector: '[id^="viewDetail-template:"]',
    rule: 'nested-interactive',
    why: '@backstage/plugin-scaffolder-react (TemplateCard): link nested in an icon button',
  },
  {
    // The home toolkit card: its <ul> holds <a> elements directly, not <li>.
    selector: '.MuiCardContent-root > ul.MuiList-root:has(> a)',
    rule: 'list',
    why: '@backstage/plugin-home (Toolkit): links directly inside a <ul>',
  },
  {
    // The recently / top visited cards (VisitList): the dense list holds the empty-state and
    // "few visits" texts and a Collapse <div> directly, not in <li>. (Our own lists are padded.)
    selector: '.MuiCardContent-root > ul.MuiList-dense:not(.MuiList-padding)',
    rule: 'list',
    why: '@backstage/plugin-home (VisitList): texts and a Collapse directly inside a <ul>',
  },
  {
    // The search page: result list items rendered without a surrounding list.
    selector: 'li.MuiListItem-root',
    rule: 'listitem',
    why: '@backstage/plugin-search (SearchResultList): <li> items outside a <ul>',
  },
];

/** The WCAG 2.1 A and AA rules (what the scan ran). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Which of the given axe targets lie inside the selector (the element or one of its ancestors).
 * A target in a frame or shadow root (more than one plain selector) is never treated as excluded.
 */
async function insideSelector(
  page: Page,
  targets: unknown[][],
  selector: string,
): Promise<boolean[]> {
  return page.evaluate(
    ({ targets: ts, selector: sel }) =>
      ts.map(t => {
        if (t.length !== 1 || typeof t[0] !== 'string') return false;
        const el = document.querySelector(t[0]);
        return el !== null && el.closest(sel) !== null;
      }),
    { targets, selector },
  );
}

/** Runs axe on the page as it is now; returns the critical and serious findings. */
export async function scanA11y(page: Page): Promise<A11yFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const findings: A11yFinding[] = [];
  for (const v of results.violations) {
    if (v.impact !== 'critical' && v.impact !== 'serious') continue;
    let nodes = v.nodes;
    for (const ex of STOCK_EXCLUSIONS.filter(e => e.rule === v.id)) {
      const inside = await insideSelector(
        page,
        nodes.map(n => n.target as unknown[]),
        ex.selector,
      );
      nodes = nodes.filter((_, i) => !inside[i]);
    }
    if (nodes.length === 0) continue;
    findings.push({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: nodes.map(n => n.target.join(' ')),
    });
  }
  return findings;
}

/**
 * Scans the page and keeps what was found: the findings as `<name>.json` and a full-page
 * screenshot as `<name>.png` under `playwright/.results/a11y/`.
 */
export async function recordA11y(
  page: Page,
  name: string,
): Promise<A11yFinding[]> {
  const findings = await scanA11y(page);
  const dir = path.join(__dirname, '..', '.results', 'a11y');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ url: page.url(), findings }, null, 2)}\n`,
  );
  await page.screenshot({
    path: path.join(dir, `${name}.png`),
    fullPage: true,
  });
  return findings;
}

/** Fails when axe finds a critical or serious WCAG 2.1 A/AA violation on the page. */
export async function expectAccessible(page: Page, name: string) {
  const findings = await recordA11y(page, name);
  expect(findings, `axe findings on ${name} (${page.url()})`).toEqual([]);
}
