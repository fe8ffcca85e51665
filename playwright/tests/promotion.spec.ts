import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page, expect, test } from '@playwright/test';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import { DEV_PASSWORD, signIn } from './helpers';

// A promotion end to end on the local default: CI uploads two evidence packets signed by an
// operator (an eval report and a dataset manifest) and posts a PASS drift run for the target;
// a tenant member proposes promoting an image from samakia-dev to samakia-prod citing both
// packets; two operators approve with signatures made by the real gpg; an operator applies it
// with the CLI (`yarn fabric apply`), signing in through the portal in the browser, and verifies
// it the same way. The proposal page shows each packet's verdict and the audit trail shows how
// each reference resolved. Every request leaving localhost is blocked.
const BACKEND = 'http://localhost:7007';
const CI_TOKEN = 'local-dev-ci-token-not-for-production';
const REPO = path.resolve(__dirname, '../..');
const LOCAL = new Set(['localhost', '127.0.0.1']);

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

async function tokenOf(username: string): Promise<string> {
  const { submitted } = await oidcSignIn({
    backendUrl: BACKEND,
    env: 'development',
    username,
    password: DEV_PASSWORD,
  });
  return frameResponse(submitted).response.backstageIdentity.token;
}

async function api(token: string, p: string, body?: unknown) {
  const res = await fetch(`${BACKEND}${p}`, {
    method: body === undefined ? 'GET' : body === 'PUT' ? 'PUT' : 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** Registers a fresh key for `username` in the one signing-key registry (signed challenge). */
async function registerKey(home: string, username: string, email: string) {
  gpg(home, ['--quick-gen-key', `E2E <${email}>`, 'ed25519', 'sign', 'never']);
  const token = await tokenOf(username);
  const challenge = await api(token, '/api/signing-keys/challenges', {});
  expect(challenge.status).toBe(201);
  const res = await fetch(`${BACKEND}/api/signing-keys/keys/me`, {
    method: 'PUT',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      publicKey: gpg(home, ['--armor', '--export', email]),
      challengeId: challenge.body.id,
      signature: gpg(
        home,
        ['--local-user', email, '--armor', '--detach-sign'],
        challenge.body.text,
      ),
    }),
  });
  expect(res.status).toBe(200);
}

/** CI uploads a packet for project-birds whose manifest the operator signed. */
async function uploadPacket(
  home: string,
  work: string,
  signer: string,
  name: string,
  stamp: string,
): Promise<string> {
  const dir = path.join(work, name);
  const files: Record<string, string> = {
    'summary.md': `# ${name}\n\nPASS for birds-api 1.4.2 on samakia-dev.\n`,
    'steps/01-check/stdout.log': `${name}: PASS\n`,
    'steps/01-check/stderr.log': '',
    'steps/01-check/exit_code': '0\n',
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
    signer,
    '--armor',
    '--detach-sign',
    '--output',
    path.join(dir, 'manifest.sha256.asc'),
    path.join(dir, 'manifest.sha256'),
  ]);
  const archive = path.join(work, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const res = await fetch(
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
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(body.packet.verdict).toBe('verified');
  return body.packet.id;
}

async function blockedContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.route('**/*', route =>
    LOCAL.has(new URL(route.request().url()).hostname)
      ? route.continue()
      : route.abort(),
  );
  return context;
}

async function asUser(browser: Browser, username: string) {
  const context = await blockedContext(browser);
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

async function claimAndApprove(page: Page, id: string, signature: string) {
  await page.goto(`/approvals/proposals/${id}`);
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Claim', exact: true })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill('Checked the packets and the drift');
  await dialog.getByLabel('Armored signature').fill(signature);
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/**
 * Runs `yarn fabric <args>` and completes its sign-in in `page` (an operator already signed in
 * to the portal): open the address the CLI prints, authorize on the portal's consent page, and
 * let the browser follow the redirect to the CLI's loopback address.
 */
async function runCli(page: Page, args: string[]) {
  const yarnPath = /^yarnPath:\s*['"]?([^'"\s]+)/m.exec(
    fs.readFileSync(path.join(REPO, '.yarnrc.yml'), 'utf8'),
  )![1];
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO, yarnPath), 'fabric', ...args, '--no-browser'],
    { cwd: REPO, env: { ...process.env, FABRIC_PORTAL_URL: BACKEND } },
  );
  let out = '';
  child.stdout!.on('data', d => (out += d));
  child.stderr!.on('data', d => (out += d));
  const exited = new Promise<number>(resolve =>
    child.on('exit', code => resolve(code ?? -1)),
  );
  await expect
    .poll(() => /https?:\/\/\S+\/v1\/authorize\S+/.exec(out)?.[0], {
      timeout: 60_000,
    })
    .toBeTruthy();
  const url = /https?:\/\/\S+\/v1\/authorize\S+/.exec(out)![0];
  await page.goto(url);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByText('Signed in to Fabric Portal')).toBeVisible();
  const code = await exited;
  return { code, out };
}

test('a promotion from dev to prod: two packets, two signed approvals, applied and verified with the CLI', async ({
  browser,
}) => {
  test.setTimeout(400_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-promotion-'));
  const home = path.join(work, 'gnupg');
  fs.mkdirSync(home, { mode: 0o700 });
  try {
    await registerKey(home, 'olivia.operator', 'olivia.promo@e2e.example');
    await registerKey(home, 'oscar.operator', 'oscar.promo@e2e.example');
    // One packet per second of a minute ago: each has its own <area>/<subject>/<timestamp> key.
    const stampOf = (i: number) =>
      new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + i * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    const signer = 'olivia.promo@e2e.example';
    const ids: string[] = [];
    for (const [i, name] of [
      'eval-report',
      'dataset-manifest',
      'apply-run',
      'verify-run',
    ].entries()) {
      ids.push(await uploadPacket(home, work, signer, name, stampOf(i)));
    }
    const [evalReport, dataset, applyRun, verifyRun] = ids;

    // The target rung is drift-free: a PASS from a source of this run's own.
    const drift = await fetch(`${BACKEND}/api/drift/runs`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${CI_TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        source: `e2e/promotion-${Date.now()}`,
        environment: 'samakia-prod',
        tenant: 'project-birds',
        observedAt: new Date().toISOString(),
        findings: [
          {
            provider: 'kubernetes',
            resource: 'birds-api/deployment',
            class: 'in-sync',
            verdict: 'PASS',
          },
        ],
      }),
    });
    expect(drift.status).toBe(201);

    const bea = await tokenOf('bea.birds');
    const submitted = await api(bea, '/api/approvals/proposals', {
      tenant: 'project-birds',
      type: 'promotion',
      environment: 'samakia-prod',
      title: `Promote birds-api 1.4.2 to prod (e2e ${Date.now()})`,
      change: {
        artefact: {
          kind: 'image',
          name: 'registry/birds-api',
          version: '1.4.2',
        },
        from: 'samakia-dev',
        to: 'samakia-prod',
      },
      packets: [
        { packetId: evalReport, kind: 'eval-report' },
        { packetId: dataset, kind: 'dataset-manifest' },
      ],
      evidence: [{ title: 'CI pipeline', url: 'https://ci.example.com/p/7' }],
      changeRef: `mr!promo-${Date.now()}`,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body.state).toBe('validated');
    const { id, digest } = submitted.body;

    const olivia = await asUser(browser, 'olivia.operator');
    await claimAndApprove(
      olivia.page,
      id,
      gpg(
        home,
        [
          '--local-user',
          'olivia.promo@e2e.example',
          '--armor',
          '--detach-sign',
        ],
        digest,
      ),
    );
    const oscar = await asUser(browser, 'oscar.operator');
    await claimAndApprove(
      oscar.page,
      id,
      gpg(
        home,
        ['--local-user', 'oscar.promo@e2e.example', '--armor', '--detach-sign'],
        digest,
      ),
    );
    await expect(oscar.page.getByTestId('gate-verdict')).toContainText(
      'Allowed: this change may be applied now.',
    );

    // CI may read the gate, never apply.
    const ciApply = await fetch(
      `${BACKEND}/api/approvals/proposals/${id}/apply`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${CI_TOKEN}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ reference: 'ci', evidence: applyRun }),
      },
    );
    expect(ciApply.status).toBe(403);

    const applied = await runCli(oscar.page, [
      'apply',
      id,
      '--evidence',
      applyRun,
    ]);
    expect(applied.out).toContain(
      `applied: proposal ${id} by user:default/oscar.operator`,
    );
    expect(applied.code).toBe(0);
    const verified = await runCli(olivia.page, [
      'verify',
      id,
      '--evidence',
      verifyRun,
      '--comment',
      'smoke tests green',
    ]);
    expect(verified.out).toContain(
      `verified: proposal ${id} by user:default/olivia.operator`,
    );
    expect(verified.code).toBe(0);

    const page = olivia.page;
    await page.goto(`/approvals/proposals/${id}`);
    await expect(page.getByTestId('proposal-state').first()).toHaveText(
      'verified',
    );
    await expect(page.getByTestId('proposal-applied')).toContainText(
      'user:default/oscar.operator',
    );
    await expect(page.getByTestId('proposal-verified')).toContainText(
      verifyRun,
    );
    const packets = page.getByRole('table', { name: 'Evidence packets' });
    for (const [packetId, kind] of [
      [evalReport, 'eval-report'],
      [dataset, 'dataset-manifest'],
    ]) {
      const row = packets.getByRole('row').filter({ hasText: packetId });
      await expect(row).toContainText(kind);
      await expect(row).toContainText('verified');
      await expect(row).toContainText('ok: evidence packet');
    }
    const audit = page.getByRole('table', { name: 'Audit trail' });
    const appliedRow = audit
      .getByRole('row')
      .filter({ hasText: `${applyRun.slice(0, 8)} plan: ok` });
    await expect(appliedRow.first()).toContainText(
      `${evalReport.slice(0, 8)} eval-report: ok (verified)`,
    );
    await expect(appliedRow.first()).toContainText(
      `${dataset.slice(0, 8)} dataset-manifest: ok (verified)`,
    );
    await expect(
      audit.getByRole('row').filter({ hasText: 'verified' }).last(),
    ).toContainText(`${verifyRun.slice(0, 8)} verification: ok (verified)`);
    await page.screenshot({
      path: path.join(__dirname, '..', '.results', 'promotion-verified.png'),
      fullPage: true,
    });
    await olivia.context.close();
    await oscar.context.close();
  } finally {
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    } catch {
      // no agent running
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
});
