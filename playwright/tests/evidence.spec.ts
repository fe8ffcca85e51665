import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import { DEV_PASSWORD, signIn } from './helpers';

// Evidence end to end on the local default: an operator registers an OpenPGP key made by the
// real gpg (signing a challenge to prove she holds it), CI uploads a packet whose manifest was
// made by the real sha256sum and signed with that key, and a tenant member opens the tenant's
// Evidence tab, sees the packet verified, reads its summary and opens a log.
const BACKEND = 'http://localhost:7007';
const CI_TOKEN = 'local-dev-ci-token-not-for-production';

function gpg(home: string, args: string[], input?: string) {
  return execFileSync(
    'gpg',
    [
      '--batch',
      '--homedir',
      home,
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      ...args,
    ],
    { input, encoding: 'utf8' },
  );
}

test('a tenant sees a verified packet on its Evidence tab, with its summary and a log', async ({
  page,
}) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-evidence-'));
  const home = path.join(work, 'gnupg');
  fs.mkdirSync(home, { mode: 0o700 });
  try {
    // 1. Olivia registers her signing key (the public part, with a signed challenge).
    gpg(home, [
      '--quick-gen-key',
      'E2E Olivia <olivia.e2e@example.com>',
      'ed25519',
      'sign',
      'never',
    ]);
    const { submitted } = await oidcSignIn({
      backendUrl: BACKEND,
      env: 'development',
      username: 'olivia.operator',
      password: DEV_PASSWORD,
    });
    const oliviaToken =
      frameResponse(submitted).response.backstageIdentity.token;
    // The one signing-key registry: sign a fresh challenge with the key to prove possession.
    const headers = {
      Authorization: `Bearer ${oliviaToken}`,
      'Content-Type': 'application/json',
    };
    const challengeRes = await fetch(`${BACKEND}/api/signing-keys/challenges`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(challengeRes.status).toBe(201);
    const challenge = await challengeRes.json();
    const registered = await fetch(`${BACKEND}/api/signing-keys/keys/me`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        publicKey: gpg(home, ['--armor', '--export', 'olivia.e2e@example.com']),
        challengeId: challenge.id,
        signature: gpg(
          home,
          [
            '--local-user',
            'olivia.e2e@example.com',
            '--armor',
            '--detach-sign',
          ],
          challenge.text,
        ),
      }),
    });
    expect(registered.status).toBe(200);

    // 2. CI writes a packet, sha256sum makes its manifest, Olivia signs it, CI uploads it.
    const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const title = `E2E birds acceptance ${stamp}`;
    const dir = path.join(work, 'packet');
    const files: Record<string, string> = {
      'summary.md': `# ${title}\n\nAll **3** checks passed on samakia-dev.\n`,
      'steps/01-verify/stdout.log':
        'postgres-birds-dev.infra.samakia.net:5432 reachable\nverify: PASS\n',
      'steps/01-verify/stderr.log': '',
      'steps/01-verify/exit_code': '0\n',
    };
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    fs.writeFileSync(
      path.join(dir, 'manifest.sha256'),
      execFileSync('sha256sum', Object.keys(files).sort(), {
        cwd: dir,
        encoding: 'utf8',
      }),
    );
    gpg(home, [
      '--local-user',
      'olivia.e2e@example.com',
      '--armor',
      '--detach-sign',
      '--output',
      path.join(dir, 'manifest.sha256.asc'),
      path.join(dir, 'manifest.sha256'),
    ]);
    const archive = path.join(work, 'packet.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
    const upload = await fetch(
      `${BACKEND}/api/evidence/packets?area=tenants&subject=project-birds&timestamp=${stamp}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${CI_TOKEN}`,
          'Content-Type': 'application/gzip',
        },
        body: fs.readFileSync(archive),
      },
    );
    expect(upload.status).toBe(201);
    expect((await upload.json()).packet.verdict).toBe('verified');

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
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    } catch {
      // no agent running
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
});
