import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Stock Backstage parts the app cannot change, excluded from the scan by selector, each with
 * the upstream rule it breaks. They are listed in the README ("Accessibility") with the report
 * to file upstream; nothing of ours may be added here.
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
];

/** The WCAG 2.1 A and AA rules (what the scan ran). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now; returns the critical and serious findings. */
export async function scanA11y(page: Page): Promise<A11yFinding[]> {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  for (const { selector } of STOCK_EXCLUSIONS)
    builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter(v => v.impact === 'critical' || v.impact === 'serious')
    .map(v => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map(n => n.target.join(' ')),
    }));
}

/**
 * Fails when axe finds a critical or serious WCAG 2.1 A/AA violation on the page; the findings
 * are also written as a JSON artifact beside the test's results.
 */
export async function expectAccessible(page: Page, name: string) {
  const findings = await scanA11y(page);
  const dir = path.join(__dirname, '..', '.results', 'a11y');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ url: page.url(), findings }, null, 2)}\n`,
  );
  expect(findings, `axe findings on ${name} (${page.url()})`).toEqual([]);
}
