import type { LaunchOptions } from '@playwright/test';

/**
 * How every browser of this repository runs: Debian's Chromium (Playwright never downloads a
 * browser here; FABRIC_CHROMIUM names another binary), headless, without the background
 * requests a fresh profile makes. The end-to-end suite (playwright.config.ts) and the bench's
 * frontend part (bench/frontend.mts) both launch it with these options.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.FABRIC_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};
