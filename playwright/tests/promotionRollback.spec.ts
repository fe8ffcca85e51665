import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import {
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

// After apply, in the browser: a promotion one rung up the Samakia ladder (samakia-dev ->
// samakia-staging, one approval) is applied by an operator and then left unverified. The e2e
// portal's verify deadline is short (approvals.verifyWithin in playwright.config.ts), so the
// backend's sweep (every minute) flags it: the proposal page shows "Verify overdue". The
// operator then records the rollback in the page's Roll back dialog with a reason and the
// packet of the rollback run; the page shows the rolled-back state, the reason and the packet,
// and the audit trail shows how that packet resolved. Every request leaving localhost is
// blocked (the shared fixture).

test('an applied promotion goes overdue, then the operator rolls it back in the page', async ({
  newContext,
}) => {
  test.setTimeout(400_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-rollback-'));
  const gpg = e2eGpg();
  const email = 'olivia.rollback@e2e.example';
  try {
    await registerKeyByApi(gpg, 'olivia.operator', email);
    // Seconds of their own, ten minutes back, so they never meet the promotion spec's packets.
    const base = Date.now() - 10 * 60_000;
    const [evalReport, applyRun, rollbackRun] = await Promise.all(
      ['eval-report', 'apply-run', 'rollback-run'].map((name, i) =>
        uploadPacket({
          gpg,
          work,
          signer: email,
          name,
          stamp: packetStamp(i, base),
        }),
      ),
    );

    await postPassDrift('samakia-staging', 'rollback');

    const submitted = await backendCall(
      await tokenOf('bea.birds'),
      '/api/approvals/proposals',
      {
        tenant: 'project-birds',
        type: 'promotion',
        environment: 'samakia-staging',
        title: `Promote birds-api 1.5.0 to samakia-staging (e2e ${Date.now()})`,
        change: {
          artefact: {
            kind: 'image',
            name: 'registry/birds-api',
            version: '1.5.0',
          },
          from: 'samakia-dev',
          to: 'samakia-staging',
        },
        packets: [{ packetId: evalReport, kind: 'eval-report' }],
        changeRef: `mr!rollback-${Date.now()}`,
      },
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body.state).toBe('validated');
    const { id, digest } = submitted.body;

    const olivia = await asUser(newContext, 'olivia.operator');
    const page = olivia.page;
    await claimAndApprove(page, id, gpg.sign(email, digest));
    await expect(page.getByTestId('gate-verdict')).toContainText(
      'Allowed: this change may be applied now.',
    );
    const applied = await backendCall(
      await tokenOf('olivia.operator'),
      `/api/approvals/proposals/${id}/apply`,
      { reference: 'operator-run-1', evidence: applyRun },
    );
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);

    // No verify arrives: the sweep flags it and the page says so.
    await expect
      .poll(
        async () => {
          await page.goto(`/approvals/proposals/${id}`);
          // The page has loaded the proposal before the overdue row is looked for.
          await expect(page.getByTestId('proposal-state').first()).toHaveText(
            'applied',
          );
          return page.getByTestId('proposal-verify-overdue').isVisible();
        },
        { timeout: 180_000, intervals: [5_000] },
      )
      .toBe(true);
    await expect(page.getByTestId('proposal-verify-overdue')).toContainText(
      'No verify or rollback yet; overdue since',
    );
    await expect(page.getByText('Verify overdue').first()).toBeVisible();
    await page.screenshot({
      path: path.join(__dirname, '..', '.results', 'promotion-overdue.png'),
      fullPage: true,
    });

    // Roll back in the page: reason and the rollback run's packet.
    await page.getByRole('button', { name: 'Roll back', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Record rollback');
    await dialog.getByLabel('Reason').fill('error rate doubled after rollout');
    await dialog.getByLabel('Evidence packet id').fill(rollbackRun);
    await dialog
      .getByRole('button', { name: 'Roll back', exact: true })
      .click();
    await expect(dialog).toBeHidden();

    await page.goto(`/approvals/proposals/${id}`);
    await expect(page.getByTestId('proposal-state').first()).toHaveText(
      'rolled-back',
    );
    const rolledBack = page.getByTestId('proposal-rolled-back');
    await expect(rolledBack).toContainText('user:default/olivia.operator');
    await expect(rolledBack).toContainText('error rate doubled after rollout');
    await expect(rolledBack).toContainText(rollbackRun);
    await expect(page.getByTestId('proposal-verify-overdue')).toHaveCount(0);
    await expect(
      page.getByRole('button', { name: 'Roll back', exact: true }),
    ).toHaveCount(0);
    const audit = page.getByRole('table', { name: 'Audit trail' });
    await expect(
      audit.getByRole('row').filter({ hasText: 'rolled-back' }).last(),
    ).toContainText(`${rollbackRun.slice(0, 8)} verification: ok (verified)`);
    await page.screenshot({
      path: path.join(__dirname, '..', '.results', 'promotion-rolled-back.png'),
      fullPage: true,
    });
    await olivia.context.close();
  } finally {
    gpg.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
