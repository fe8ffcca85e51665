import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  BACKEND,
  CI_TOKEN,
  e2eGpg,
  asUser,
  backendCall,
  claimAndApprove,
  packetStamp,
  postPassDrift,
  registerKeyByApi,
  tokenOf,
  uploadPacket,
} from './helpers';

// A promotion end to end on the local default, on the Run/Operate ladder local-parity -> dev ->
// prod (seed 004; project-birds runs on it, catalog/tenants.yaml): CI uploads three evidence
// packets signed by an operator (an EvalReport, a DatasetManifest and compatibility metadata,
// the kinds the seed's promotion gate names, each declared in the packet's packet.json) and
// posts a PASS drift run for prod; a promotion citing only the first two is blocked naming the
// missing compatibility packet; a tenant member proposes promoting the birds-api image from dev
// to prod citing all three (local-parity -> prod is refused: it skips dev); two operators approve with signatures made by the real gpg inside prod's change
// window (the local default's window opens every minute, app-config.yaml); an operator applies
// it with the CLI (`yarn fabric apply`), signing in through the portal in the browser, and
// verifies it the same way. The proposal page shows each
// packet's verdict and the audit trail shows how each reference resolved. Every request leaving
// localhost is blocked (the shared fixture).
const REPO = path.resolve(__dirname, '../..');

/** The files of a packet whose packet.json declares `kind` (signed with the manifest). */
function packetFiles(name: string, kind: string): Record<string, string> {
  return {
    'packet.json': JSON.stringify({ title: name, result: 'PASS', kind }),
    'summary.md': `# ${name}\n\nPASS for project-birds.\n`,
    'steps/01-check/stdout.log': `${name}: PASS\n`,
    'steps/01-check/stderr.log': '',
    'steps/01-check/exit_code': '0\n',
  };
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

test('a promotion from dev to prod: three packets, two signed approvals inside the window, applied and verified with the CLI', async ({
  newContext,
}) => {
  test.setTimeout(400_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-promotion-'));
  const gpg = e2eGpg();
  try {
    await registerKeyByApi(gpg, 'olivia.operator', 'olivia.promo@e2e.example');
    await registerKeyByApi(gpg, 'oscar.operator', 'oscar.promo@e2e.example');
    const signer = 'olivia.promo@e2e.example';
    const base = Date.now();
    const ids: string[] = [];
    for (const [i, [name, kind]] of [
      ['eval-report', 'eval-report'],
      ['dataset-manifest', 'dataset-manifest'],
      ['compatibility', 'compatibility'],
      ['apply-run', 'plan'],
      ['verify-run', 'verification'],
    ].entries()) {
      ids.push(
        await uploadPacket({
          gpg,
          work,
          signer,
          name,
          stamp: packetStamp(i, base),
          files: packetFiles(name, kind),
        }),
      );
    }
    const [evalReport, dataset, compatibility, applyRun, verifyRun] = ids;

    // The target rung is drift-free: a PASS from a source of this run's own.
    await postPassDrift('prod', 'promotion');

    const bea = await tokenOf('bea.birds');
    const cited = [
      { packetId: evalReport, kind: 'eval-report' },
      { packetId: dataset, kind: 'dataset-manifest' },
      { packetId: compatibility, kind: 'compatibility' },
    ];
    const promotion = (from: string, to: string, packets = cited) => ({
      tenant: 'project-birds',
      type: 'promotion',
      environment: to,
      title: `Promote birds-api 1.4.2 to ${to} (e2e ${Date.now()})`,
      change: {
        artefact: {
          kind: 'image',
          name: 'registry/birds-api',
          version: '1.4.2',
        },
        from,
        to,
      },
      packets,
      evidence: [{ title: 'CI pipeline', url: 'https://ci.example.com/p/7' }],
      changeRef: `mr!promo-${packets.length}-${Date.now()}`,
    });
    // Straight from local-parity to prod skips dev: refused before anything is stored.
    const skipped = await backendCall(
      bea,
      '/api/approvals/proposals',
      promotion('local-parity', 'prod'),
    );
    expect(skipped.status).toBe(400);
    expect(skipped.body.error.message).toContain(
      'change.to: prod is not the next rung of local-parity; the next rung is dev',
    );
    // Without the compatibility packet prod's gate names the missing kind (promotionPacketKinds).
    const partial = await backendCall(
      bea,
      '/api/approvals/proposals',
      promotion('dev', 'prod', cited.slice(0, 2)),
    );
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    const olivia = await asUser(newContext, 'olivia.operator');
    await olivia.page.goto(`/approvals/proposals/${partial.body.id}`);
    const partialReasons = olivia.page.getByRole('list', {
      name: 'Gate reasons',
    });
    await expect(partialReasons).toContainText(
      'evidence-kind-missing a promotion into prod needs a compatibility metadata packet: cite a verified compatibility metadata packet of tenant:default/project-birds whose packet.json declares "kind": "compatibility"',
    );
    await expect(partialReasons).not.toContainText('needs an EvalReport');
    await expect(olivia.page.getByTestId('proposal-rules')).toContainText(
      'promotions need an EvalReport, a DatasetManifest and a compatibility metadata packet, each declaring its kind',
    );
    const withdrawn = await backendCall(
      bea,
      `/api/approvals/proposals/${partial.body.id}/withdraw`,
      { reason: 'cites all three kinds in the next proposal' },
    );
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);

    const submitted = await backendCall(
      bea,
      '/api/approvals/proposals',
      promotion('dev', 'prod'),
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body.state).toBe('validated');
    const { id, digest } = submitted.body;

    await claimAndApprove(
      olivia.page,
      id,
      gpg.sign('olivia.promo@e2e.example', digest),
    );
    const oscar = await asUser(newContext, 'oscar.operator');
    await claimAndApprove(
      oscar.page,
      id,
      gpg.sign('oscar.promo@e2e.example', digest),
    );
    await expect(oscar.page.getByTestId('gate-verdict')).toContainText(
      'Allowed: this change may be applied now.',
    );
    // Both approvals came inside prod's allow window: no override was needed or recorded.
    await expect(oscar.page.getByTestId('proposal-rules')).toContainText(
      'change windows: local-any-time (allow',
    );
    const audit0 = await backendCall(
      await tokenOf('olivia.operator'),
      `/api/approvals/proposals/${id}/audit`,
    );
    const approvals = audit0.body.items.filter(
      (r: { action: string }) => r.action === 'approval',
    );
    expect(approvals).toHaveLength(2);
    for (const record of approvals) {
      expect(record.details?.override ?? null).toBeNull();
    }

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

    // Applied: the page offers the operator Verify and Roll back.
    await olivia.page.goto(`/approvals/proposals/${id}`);
    await expect(
      olivia.page.getByRole('button', { name: 'Verify', exact: true }),
    ).toBeVisible();
    await expect(
      olivia.page.getByRole('button', { name: 'Roll back', exact: true }),
    ).toBeVisible();
    await olivia.page.screenshot({
      path: path.join(__dirname, '..', '.results', 'promotion-applied.png'),
      fullPage: true,
    });

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
    const headers = packets.getByRole('columnheader');
    await expect(headers.nth(1)).toHaveText('Cited as');
    await expect(headers.nth(2)).toHaveText('Declared kind');
    for (const [packetId, kind] of [
      [evalReport, 'EvalReport'],
      [dataset, 'DatasetManifest'],
      [compatibility, 'compatibility metadata'],
    ]) {
      const row = packets.getByRole('row').filter({ hasText: packetId });
      // Cited as, and declared by its signed packet.json as, the same kind: no mismatch flag.
      await expect(row.getByRole('cell').nth(1)).toHaveText(kind);
      await expect(row.getByRole('cell').nth(2)).toHaveText(kind);
      await expect(row).not.toContainText('mismatch');
      await expect(row).toContainText('verified');
      await expect(row).toContainText('ok: evidence packet');
    }
    const audit = page.getByRole('table', { name: 'Audit trail' });
    const appliedRow = audit
      .getByRole('row')
      .filter({ hasText: `${applyRun.slice(0, 8)} plan: ok` });
    await expect(appliedRow.first()).toContainText(
      `${evalReport.slice(0, 8)} EvalReport: ok (verified)`,
    );
    await expect(appliedRow.first()).toContainText(
      `${dataset.slice(0, 8)} DatasetManifest: ok (verified)`,
    );
    await expect(appliedRow.first()).toContainText(
      `${compatibility.slice(0, 8)} compatibility metadata: ok (verified)`,
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
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
