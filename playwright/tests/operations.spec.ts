import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { signIn } from './helpers';

// Operations views on the local default: an operator asks what breaks if proxmox1 goes down,
// on the impact page and on the MinIO plane's card. Requests to any host but this machine are
// refused, so the pages are shown as they render without the internet.
const shots = path.join(__dirname, '..', '.results', 'screenshots');

async function localOnly(page: Page) {
  await page.route(
    url => !['localhost', '127.0.0.1'].includes(url.hostname),
    route => route.abort(),
  );
}

test('an operator sees what losing proxmox1 costs: hosts, MinIO quorum kept, VIPs kept', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/operations/impact?failureDomain=proxmox1');
  await expect(
    page.getByRole('heading', { name: 'Failure-domain impact' }),
  ).toBeVisible();
  const hosts = page.getByRole('table', { name: 'Hosts lost' });
  for (const host of ['minio-edge-1', 'minio-1', 'dns-edge-1']) {
    await expect(hosts).toContainText(host);
  }
  const services = page.getByRole('table', { name: 'Services affected' });
  await expect(
    services.getByRole('row', { name: /MinIO state backend/ }),
  ).toContainText('2/3 up, 2 needed: kept');
  const vips = page.getByRole('table', { name: 'VIPs affected' });
  await expect(vips).toContainText('192.168.11.101');
  await expect(vips).toContainText('kept: moves to minio-edge-2');
  await expect(
    page.getByRole('table', { name: 'Tenants affected' }),
  ).toContainText('Project Birds');
  await page.screenshot({
    path: path.join(shots, 'impact-proxmox1.png'),
    fullPage: true,
  });
});

test('the MinIO plane shows what each of its failure domains would cost it', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/catalog/default/plane/minio');
  const card = page.getByRole('table', { name: 'Impact per failure domain' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('row', { name: /proxmox1/ })).toContainText(
    'degraded',
  );
  await expect(card.getByRole('row', { name: /proxmox3/ })).toContainText(
    'quorum kept',
  );
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.join(shots, 'minio-plane-impact.png'),
    fullPage: true,
  });
});

test('the MinIO plane health card shows each target from evidence, the quorum and the VIP holder', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/catalog/default/plane/minio');
  const card = page.getByTestId('health-card');
  await expect(card).toBeVisible();
  const targets = card.getByRole('table', { name: 'Acceptance targets' });
  for (const target of [
    'minio.sdn.accept',
    'minio.converged.accept',
    'minio.quorum.guard',
    'minio.failure.sim',
    'milestone.phase1-12.verify',
  ]) {
    // The samples date from 2026-01-02: older than the seven-day default.
    await expect(
      targets.getByRole('row', { name: new RegExp(target) }),
    ).toContainText('stale');
  }
  await expect(card).toContainText('minio-edge-1');
  await expect(card).toContainText('2026-01-02 17:07 UTC');
  // No tenant consumes the MinIO plane (Terraform state only): nothing is pending for it.
  await expect(card.getByTestId('health-open-proposals')).toHaveText('none');
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(shots, 'minio-plane-health.png') });
  await page.screenshot({
    path: path.join(shots, 'minio-plane-health-page.png'),
    fullPage: true,
  });
});

test('a tenant member sees the DNS plane health read-only and not the MinIO plane one', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page, 'bea.birds');
  await page.goto('/catalog/default/plane/dns');
  const card = page.getByTestId('health-card');
  await expect(card).toContainText('(read-only)');
  await expect(card).toContainText('dns-edge-1');
  await expect(card.getByTestId('health-open-proposals')).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: path.join(shots, 'dns-plane-health-tenant.png'),
  });
  await page.goto('/catalog/default/plane/minio');
  await expect(
    page.getByText(
      'Shown to operators and to tenants that consume this plane.',
    ),
  ).toBeVisible();
  await expect(page.getByTestId('health-card')).toHaveCount(0);
});

test('254Carbon data services show their declared recovery objectives beside the latest backup run, and a store its storage class and tier', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/catalog/default/plane/data-services');
  const plane = page
    .getByText('Data protection')
    .locator('xpath=ancestor::*[contains(@class,"MuiCard-root")][1]');
  await expect(plane).toContainText('15m (metadata)');
  await expect(plane).toContainText('1h (core services)');
  // Beside them the latest backup run from evidence: the sample is months old, so stale.
  const backups = plane.getByRole('table', { name: 'Backup and DR evidence' });
  await expect(backups.getByRole('row', { name: /backup-run/ })).toContainText(
    'stale',
  );
  await expect(backups).toContainText('PASS');
  await plane.screenshot({
    path: path.join(shots, 'carbon-data-protection.png'),
  });
  await page.goto('/catalog/default/component/clickhouse');
  const store = page
    .getByText('Data protection')
    .locator('xpath=ancestor::*[contains(@class,"MuiCard-root")][1]');
  await expect(store).toContainText('fast-local');
  await expect(store).toContainText('tier-0');
  await expect(store).toContainText('90d raw, TTLs');
});

test('the ALAI SPOF inventory lists the four SPOFs in order with what stops and their DR status', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/operations/spof');
  const table = page.getByRole('table', { name: 'SPOF inventory' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText('ANVIL');
  await expect(rows.nth(0)).toContainText('RTO is effectively infinite');
  await expect(rows.nth(1)).toContainText('FORGE');
  await expect(rows.nth(2)).toContainText('Vaultwarden down');
  await expect(rows.nth(3)).toContainText('FORGE permanently isolated');
  await page.screenshot({
    path: path.join(shots, 'alai-spof-inventory.png'),
    fullPage: true,
  });
});

test('ALAI hosting lists every migration row with priority, downtime and dependency, the DNS consolidation and the SENTINEL alerts', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/operations/alai');
  const table = page.getByRole('table', { name: 'Migration table' });
  await expect(table.locator('tbody tr')).toHaveCount(16);
  await expect(
    table.getByRole('row', { name: /basicfakta\.no/ }),
  ).toContainText('Find repo, change registrar NS');
  await expect(table.getByRole('row', { name: /^bilko-api/ })).toContainText(
    'Dynamic API services',
  );
  await expect(
    page.getByRole('table', { name: 'Reported DNS state' }),
  ).toContainText('one.com nameservers');
  const alerts = page.getByRole('table', { name: 'Alert table' });
  await expect(alerts.locator('tbody tr')).toHaveCount(6);
  await expect(alerts.getByRole('row', { name: /5xx rate/ })).toContainText(
    'Rollback via CF API re-deploy',
  );
  await page.screenshot({
    path: path.join(shots, 'alai-hosting.png'),
    fullPage: true,
  });
});

test('an operator reads the Mission Control claim leases from the configured export, read-only', async ({
  page,
}) => {
  await localOnly(page);
  await signIn(page);
  await page.goto('/operations/mission-control/leases');
  const leases = page.getByRole('table', { name: 'Claim leases' });
  const row = leases.locator('tbody tr').first();
  await expect(row).toContainText('MC #99927');
  await expect(row).toContainText('john:abc123');
  await expect(row.getByTestId('lease-expired')).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Sweeps' }).locator('tbody tr'),
  ).toContainText('reported only');
  await expect(page.getByRole('button', { name: /release/i })).toHaveCount(0);
  await page.screenshot({
    path: path.join(shots, 'alai-mc-claim-leases.png'),
    fullPage: true,
  });
});
