import { test, expect } from './fixtures';
import { signIn, sidebarLink } from './helpers';

test('the DNS plane page shows its network facts and member services', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/plane/dns');
  await expect(page.getByText('VLAN 100', { exact: true })).toBeVisible();
  await expect(page.getByText('10.10.100.0/24', { exact: true })).toBeVisible();
  await expect(page.getByText('10.10.100.1', { exact: true })).toBeVisible();
  await expect(page.getByText('zonedns', { exact: true })).toBeVisible();
  // The failure domain appears in the network facts and again as a link on the impact card.
  await expect(
    page.getByText('proxmox1', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'proxmox1' })).toHaveAttribute(
    'href',
    '/operations/impact?failureDomain=proxmox1',
  );
  const services = page.getByRole('table', { name: 'Member services' });
  await expect(services.getByRole('link', { name: /DNS edge/ })).toBeVisible();
  await expect(services.getByText('make dns.accept').first()).toBeVisible();
});

test('the ZAKON registry lists every rule and filters by status', async ({
  page,
}) => {
  await signIn(page);
  await sidebarLink(page, 'ZAKON registry').click();
  await expect(page).toHaveURL(/\/zakon/);
  await expect(
    page.getByRole('heading', { name: 'ZAKON registry' }),
  ).toBeVisible();
  for (const rule of [
    'blueprint-enforcement',
    'feasibility-check',
    'pi2-deploy-verification',
    'qa19-mapping',
  ]) {
    await expect(page.getByText(rule, { exact: true })).toBeVisible();
  }
  await expect(page.getByText('[CEO_APPROVED]').first()).toBeVisible();
  await expect(page.getByText('GRANDFATHERED-PRE-2026-05-12')).toHaveCount(3);

  await page.getByLabel('Status', { exact: true }).click();
  await page.getByRole('option', { name: 'active', exact: true }).click();
  await expect(page.getByText('Rules (1)')).toBeVisible();
  await expect(page.getByText('qa19-mapping', { exact: true })).toHaveCount(0);

  await page.getByRole('link', { name: /blueprint liveness/i }).click();
  await expect(page.getByText('Published sha256')).toBeVisible();
});

test('the catalog list filters planes by type', async ({ page }) => {
  await signIn(page);
  await page.goto(
    '/catalog?filters[kind]=plane&filters[type]=network&filters[user]=all',
  );
  await expect(page.getByText('All network Planes (3)')).toBeVisible();
  await expect(page.getByRole('link', { name: 'DNS plane' })).toBeVisible();
});

test('the catalog table shows no column its kind never fills', async ({
  page,
}, testInfo) => {
  // Four catalog lists on a loaded machine.
  test.setTimeout(300_000);
  await signIn(page);
  const header = (name: string) =>
    page.getByRole('columnheader', { name, exact: true });
  // The list's rows first: until they load, the table shows the stock columns.
  const openList = async (kind: string) => {
    await page.goto(`/catalog?filters[kind]=${kind}&filters[user]=all`);
    // The first row's entity link ("No records to display" while loading has none).
    await expect(
      page
        .getByRole('table')
        .first()
        .getByRole('row')
        .nth(1)
        .getByRole('link')
        .first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(header('Name')).toBeVisible();
    await expect(header('Owner')).toBeVisible();
  };
  // Planes, tenants and ZAKON rules have no system and no lifecycle: no column of dashes.
  for (const kind of ['plane', 'tenant', 'zakonrule']) {
    await openList(kind);
    await expect(header('System')).toHaveCount(0);
    await expect(header('Lifecycle')).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath(`catalog-${kind}.png`),
      fullPage: true,
    });
  }
  // Components fill Lifecycle: it stays. No entity of this catalog is part of a System (there
  // is no System entity), so that column stays hidden for them too.
  await openList('component');
  await expect(header('Lifecycle')).toBeVisible();
  await expect(header('System')).toHaveCount(0);
  await page.screenshot({
    path: testInfo.outputPath('catalog-component.png'),
    fullPage: true,
  });
});

test('the operator home has one main landmark, one h1 and the stale acceptance', async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto('/');
  await expect(page.getByTestId('for-you-role')).toBeVisible();
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(['Home']);
  await expect(
    page.getByRole('main').getByTestId('signed-in-as'),
  ).toContainText('Olivia Operator');
  // The sample acceptance runs are months old: past the 7 days of the local config.
  const stale = page
    .getByRole('list', { name: 'What waits for you' })
    .getByRole('listitem')
    .filter({ hasText: 'Acceptance older than 7 days' });
  await expect(
    stale.getByRole('link', { name: /^DNS plane \(/ }),
  ).toHaveAttribute('href', '/catalog/default/plane/dns');
  await page.screenshot({
    path: testInfo.outputPath('home-operator.png'),
    fullPage: true,
  });
});

test('a tenant page shows consumers, quotas and bindings', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/tenant/project-birds');
  const consumers = page.getByRole('table', { name: 'Consumers' });
  await expect(consumers.getByText('postgres', { exact: true })).toBeVisible();
  await expect(consumers.getByText('cluster', { exact: true })).toBeVisible();
  await expect(page.getByText('maxConnections')).toBeVisible();
  const bindings = page.getByRole('table', { name: 'Bindings' });
  await expect(
    bindings.getByText('postgres-birds.infra.samakia.net:5432'),
  ).toBeVisible();
});

test('a service page shows its plane and hosts', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/minio');
  await expect(page.getByText('make minio.accept')).toBeVisible();
  const hosts = page.getByRole('table', { name: 'Hosts' });
  await expect(hosts.getByText('minio-edge-1')).toBeVisible();
  await expect(hosts.getByText('192.168.11.102, 10.10.140.2')).toBeVisible();
  await page.getByRole('link', { name: 'MinIO plane' }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/plane\/minio/);
  await expect(page.getByText('VLAN 140', { exact: true })).toBeVisible();
});

test('an environment page shows its ladder, next rung and parity contract', async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto('/catalog/default/resource/dev');
  await expect(page.getByText('Environment ladder')).toBeVisible();
  // The ladder's row of the card (the system's tag chip shows the same word).
  await expect(
    page.getByRole('cell', { name: 'run-operate', exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: /prod/i }).first()).toBeVisible();
  await expect(page.getByText('Parity: must match')).toBeVisible();
  await expect(page.getByText('envelope-pins', { exact: true })).toBeVisible();
  await expect(page.getByText('auth-mode', { exact: true })).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('environment-dev.png'),
    fullPage: true,
  });

  // The ZAKON page lists the rules the sources cite but never registered.
  await page.goto('/zakon');
  await expect(page.getByText('Cited but unregistered (5)')).toBeVisible();
  await expect(page.getByText('INFRA-CF-001', { exact: true })).toBeVisible();
  await expect(page.getByText('ZAKON NULA', { exact: true })).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('zakon-unregistered.png'),
    fullPage: true,
  });
});
