import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { e2eGpg, registerKeyByApi, signIn, uploadPacket } from './helpers';

// Evidence end to end on the local default: an operator registers an OpenPGP key made by the
// real gpg (signing a challenge to prove she holds it), CI uploads a packet whose manifest was
// made by the real sha256sum and signed with that key, and a tenant member opens the tenant's
// Evidence tab, sees the packet verified, reads its summary and opens a log.
test('a tenant sees a verified packet on its Evidence tab, with its summary and a log', async ({
  page,
}) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-evidence-'));
  const gpg = e2eGpg();
  try {
    // 1. Olivia registers her signing key (the public part, with a signed challenge) in the
    //    one signing-key registry.
    await registerKeyByApi(gpg, 'olivia.operator', 'olivia.e2e@example.com');

    // 2. CI writes a packet, sha256sum makes its manifest, Olivia signs it, CI uploads it.
    const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const title = `E2E birds acceptance ${stamp}`;
    await uploadPacket({
      gpg,
      work,
      signer: 'olivia.e2e@example.com',
      name: 'packet',
      stamp,
      files: {
        'summary.md': `# ${title}\n\nAll **3** checks passed on samakia-dev.\n`,
        'steps/01-verify/stdout.log':
          'postgres-birds-dev.infra.samakia.net:5432 reachable\nverify: PASS\n',
        'steps/01-verify/stderr.log': '',
        'steps/01-verify/exit_code': '0\n',
      },
    });

    // 3. Bea (team-birds) opens the tenant's Evidence tab.
    await signIn(page, 'bea.birds');
    await page.goto('/catalog/default/tenant/project-birds/evidence');
    const table = page.getByRole('table', { name: 'Evidence packets' });
    const row = table.getByTestId('packet-row').filter({ hasText: title });
    await expect(row).toBeVisible();
    await expect(row.getByTestId('verdict')).toHaveText('verified');
    // Newest first.
    await expect(table.getByTestId('packet-row').first()).toContainText(title);

    await row.getByRole('button', { name: title }).click();
    const summary = page.getByTestId('packet-summary');
    await expect(summary.getByRole('heading', { name: title })).toBeVisible();
    await expect(summary).toContainText('checks passed on samakia-dev');
    // Who signed (the catalog user the key is registered to) and when.
    const signatures = page.getByRole('table', { name: 'Signatures' });
    await expect(signatures).toContainText('Olivia Operator');
    await expect(signatures).toContainText('valid');

    await page
      .getByRole('button', { name: 'Preview steps/01-verify/stdout.log' })
      .click();
    await expect(page.getByTestId('file-preview')).toContainText(
      'verify: PASS',
    );
    await page.keyboard.press('Escape');

    // 4. The sample packet carries an RFC 3161 timestamp by the authority the local config
    //    trusts: the tab shows who stamped the manifest and that the token verifies.
    const sampleTitle = 'project-birds: substrate capacity guardrails';
    await table
      .getByTestId('packet-row')
      .filter({ hasText: sampleTitle })
      .getByRole('button', { name: sampleTitle })
      .click();
    const timestamps = page.getByRole('table', { name: 'Timestamps' });
    await expect(timestamps).toContainText('sample-tsa');
    await expect(timestamps).toContainText('Fabric Sample TSA');
    await expect(timestamps).toContainText('valid');
  } finally {
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
