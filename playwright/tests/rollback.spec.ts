import path from 'node:path';
import { expect, test } from './fixtures';
import {
  frameResponse,
  oidcSignIn,
} from '../../packages/backend/src/__tests__/support/oidcFlow';
import { guardedKey } from '../guardedKey';
import { BACKEND, DEV_PASSWORD, signIn } from './helpers';

// A guarded site rollback end to end on the local default: a tenant member asks for the
// rollback of basicconsulting.no, an operator approves it, and another operator runs the
// `site-rollback` template in the browser. The run (a dry run: nothing is executed locally) is
// signed with the backend's guarded-action key (playwright.config.ts), whose public part an
// operator registered by signing a challenge; the packet it leaves is `verified`.
const shots = path.join(__dirname, '..', '.results', 'screenshots');

async function tokenOf(username: string): Promise<string> {
  const { submitted } = await oidcSignIn({
    backendUrl: BACKEND,
    env: 'development',
    username,
    password: DEV_PASSWORD,
  });
  return frameResponse(submitted).response.backstageIdentity.token;
}

async function api(token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${BACKEND}/api${p}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

test('a site rollback through the scaffolder ends with a verified evidence packet', async ({
  page,
}) => {
  const key = guardedKey();
  // The key's owner proves possession (signed challenge) in the signing-key registry.
  const oscar = await tokenOf('oscar.operator');
  const challenge = await api(oscar, 'POST', '/signing-keys/challenges', {});
  expect(challenge.status).toBe(201);
  const registered = await api(oscar, 'PUT', '/signing-keys/keys/me', {
    publicKey: key.publicKey(),
    challengeId: challenge.body.id,
    signature: key.sign(challenge.body.text),
  });
  expect(registered.status).toBe(200);

  // bea asks for the rollback; olivia approves (samakia-dev needs one approval).
  const deploymentId = `e2e-${Date.now().toString(36)}`;
  const bea = await tokenOf('bea.birds');
  const submitted = await api(bea, 'POST', '/approvals/proposals', {
    tenant: 'project-birds',
    type: 'other',
    environment: 'samakia-dev',
    title: `Roll basicconsulting.no back (${deploymentId})`,
    change: {
      description: 'Re-deploy the last good deployment',
      details: {
        operation: 'site-rollback',
        project: 'basicconsulting-no',
        deploymentId,
      },
    },
  });
  expect(submitted.status).toBe(201);
  const id = submitted.body.id;
  const olivia = await tokenOf('olivia.operator');
  expect(
    (await api(olivia, 'POST', `/approvals/proposals/${id}/claim`, {})).status,
  ).toBe(200);
  const approved = await api(
    olivia,
    'POST',
    `/approvals/proposals/${id}/approve`,
    {
      comment: 'roll back',
    },
  );
  expect(approved.body.proposal?.state).toBe('approved');

  // olivia runs the template in the browser.
  await signIn(page, 'olivia.operator');
  await page.goto('/create/templates/default/site-rollback');
  await expect(
    page.getByRole('heading', { name: 'Site rollback (guarded)' }).first(),
  ).toBeVisible();
  await page.getByRole('textbox', { name: /^Approved proposal/ }).fill(id);
  await page
    .getByRole('textbox', { name: /^Cloudflare Pages project/ })
    .fill('basicconsulting-no');
  await page
    .getByRole('textbox', { name: /^Deployment to re-deploy/ })
    .fill(deploymentId);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  await expect(
    page.getByText('PASS (dry-run); packet verdict: verified'),
  ).toBeVisible({ timeout: 120_000 });
  await page.screenshot({
    path: path.join(shots, 'rollback-run.png'),
    fullPage: true,
  });

  // The packet page says the same, naming the signer.
  const link = page.getByRole('link', { name: 'Evidence packet of this run' });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/\/evidence\/packets\//);
  await page.goto(new URL(href!, page.url()).pathname);
  await expect(page.getByText('verified').first()).toBeVisible();
  // The signer, shown by name once the catalog answers (the ref before that).
  await expect(
    page.getByRole('link', { name: 'Oscar Operator', exact: true }),
  ).toBeVisible();
  await expect(page.getByText(/site-rollback/).first()).toBeVisible();
  await page.screenshot({
    path: path.join(shots, 'rollback-packet-verified.png'),
    fullPage: true,
  });
});
