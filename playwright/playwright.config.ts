import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { chromiumLaunchOptions } from './chromium';
import { guardedKey } from './guardedKey';

// End-to-end tests run in Debian's Chromium (/usr/bin/chromium); Playwright never downloads a
// browser here. Under CI=true the suite starts the portal itself on the local default profile;
// locally it reuses a portal that is already running (README command 1) or starts one.
const repoRoot = path.resolve(__dirname, '..');
// The Yarn release .yarnrc.yml names (yarnPath), the one place its version is written.
const yarnPath = /^yarnPath:\s*['"]?([^'"\s]+)/m.exec(
  fs.readFileSync(path.join(repoRoot, '.yarnrc.yml'), 'utf8'),
)?.[1];
if (!yarnPath) throw new Error('.yarnrc.yml names no yarnPath');
const yarn = `node ${path.join(repoRoot, yarnPath)}`;
const isCI = process.env.CI === 'true' || process.env.CI === '1';
// Guarded runs (site rollback) sign their packets with this key; see guardedKey.ts.
const signing = guardedKey();

export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: isCI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: path.join(__dirname, '.report') }],
  ],
  outputDir: path.join(__dirname, '.results'),
  webServer: [
    {
      command: `node scripts/techdocs-build.mts && ${yarn} workspace backend start`,
      cwd: repoRoot,
      url: 'http://127.0.0.1:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !isCI,
      timeout: 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        ...(process.env as Record<string, string>),
        // Backstage reads APP_CONFIG_* values as JSON.
        APP_CONFIG_fabric_guardedActions_signingKey: JSON.stringify(
          signing.fingerprint,
        ),
        APP_CONFIG_fabric_guardedActions_gnupgHome: JSON.stringify(
          signing.home,
        ),
        // A short verify deadline, so promotionRollback.spec.ts sees "Verify overdue" after the
        // backend's next sweep (every minute) instead of an hour later.
        APP_CONFIG_approvals_verifyWithin: JSON.stringify({ seconds: 20 }),
      },
    },
    {
      command: `${yarn} workspace app start`,
      cwd: repoRoot,
      url: 'http://localhost:3000',
      reuseExistingServer: !isCI,
      timeout: 300_000,
      env: {
        ...(process.env as Record<string, string>),
        // The dev server without its per-request gzip: see the preloaded file.
        NODE_OPTIONS: [
          process.env.NODE_OPTIONS,
          `--require ${JSON.stringify(
            path.join(__dirname, 'devServerWithoutCompression.cjs'),
          )}`,
        ]
          .filter(Boolean)
          .join(' '),
      },
    },
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    headless: chromiumLaunchOptions.headless,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
