import fs from 'node:fs';
import path from 'node:path';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// The drift API on the real composition of the local default: CI posts runs with the static
// token and its access restrictions (drift.report.create, drift.report.read), including
// Terraform's own JSON plan; users sign in through the real OpenID Connect flow and see only
// their tenant's drift; owners are notified through Backstage notifications.

jest.setTimeout(180_000);

const ciToken = CI_TOKEN;
const terraformPlan = fs.readFileSync(
  path.join(
    repoRoot,
    'plugins/drift-backend/src/__fixtures__/terraform-show-drift.json',
  ),
  'utf8',
);

describe('drift on the real backend: CI token and signed-in users', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
      }),
    });
    // Runs are checked against the catalog, so wait until the tenant and the plane are in.
    await waitFor('the birds tenant and the minio plane', async () => {
      for (const ref of [
        'tenant/default/project-birds',
        'plane/default/minio',
      ]) {
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-name/${ref}`,
          { headers: { Authorization: `Bearer ${ciToken}` } },
        );
        if (!res.ok) return undefined;
      }
      return true;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const tokenOf = (username: string) => devSignIn(backend.baseUrl, username);

  const call = (
    p: string,
    token: string | undefined,
    init: {
      method?: string;
      body?: string;
      headers?: Record<string, string>;
    } = {},
  ) =>
    fetch(`${backend.baseUrl}/api/drift${p}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body,
    });

  const run = (verdict: 'PASS' | 'FAIL') =>
    JSON.stringify({
      source: 'ci/drift-nightly',
      environment: 'samakia-dev',
      tenant: 'project-birds',
      runUrl: 'https://ci.example.com/jobs/42',
      findings: [
        {
          provider: 'postgres',
          resource: 'birds-dev/max_connections',
          class: verdict === 'PASS' ? 'in-sync' : 'capacity',
          verdict,
          declared: 200,
          observed: verdict === 'PASS' ? 200 : 500,
        },
      ],
    });

  it('lets CI post runs and Terraform plans and read them back, nothing else', async () => {
    const pass = await call('/runs', ciToken, {
      method: 'POST',
      body: run('PASS'),
    });
    expect(pass.status).toBe(201);
    const fail = await call('/runs', ciToken, {
      method: 'POST',
      body: run('FAIL'),
    });
    expect(fail.status).toBe(201);
    expect((await fail.json()).run).toMatchObject({
      verdict: 'FAIL',
      tenant: 'tenant:default/project-birds',
      submittedBy: 'fabric-ci',
    });

    const terraform = await call('/runs/terraform', ciToken, {
      method: 'POST',
      body: terraformPlan,
      headers: {
        'X-Drift-Environment': 'samakia-prod',
        'X-Drift-Entity': 'plane:minio',
        'X-Drift-Source': 'terraform/samakia-minio',
      },
    });
    expect(terraform.status).toBe(201);
    const receipt = await terraform.json();
    expect(receipt.run).toMatchObject({
      entity: 'plane:default/minio',
      format: 'terraform',
      toolVersion: '1.9.8',
      observedAt: '2026-11-20T05:40:12.000Z',
      verdict: 'FAIL',
      counts: { pass: 0, warn: 2, fail: 1 },
      providers: ['minio', 'proxmox'],
    });
    const detail = await call(`/runs/${receipt.run.id}`, ciToken);
    expect(detail.status).toBe(200);
    const text = await detail.text();
    expect(text).toContain('minio_s3_bucket.tfstate');
    // The plan holds a MinIO secret in plain text; the portal never stores it.
    expect(text).not.toContain('w3Jk9pQ2vL8xN5rT1yZ6aB4cD7eF0gH');

    const current = await call('/current?tenant=project-birds', ciToken);
    expect(current.status).toBe(200);
    expect((await current.json()).verdict).toBe('FAIL');
    const history = await call('/history?tenant=project-birds', ciToken);
    expect(
      (await history.json()).items.map((r: { verdict: string }) => r.verdict),
    ).toEqual(['PASS', 'FAIL']);

    expect((await call('/current', undefined)).status).toBe(401);
    expect((await call('/current', 'not-the-ci-token')).status).toBe(401);
  });

  it('shows a tenant member their own drift only, and never lets them post', async () => {
    const bea = await tokenOf('bea.birds');
    const current = await call('/current?tenant=project-birds', bea);
    expect(current.status).toBe(200);
    expect(await current.json()).toMatchObject({
      audience: 'tenant',
      verdict: 'FAIL',
      runbook: { ref: 'resource:default/drift-review' },
    });
    const overview = await (await call('/overview', bea)).json();
    expect(overview.rows.map((r: { subject: string }) => r.subject)).toEqual([
      'tenant:default/project-birds',
    ]);
    const plane = await (await call('/current?entity=plane:minio', bea)).json();
    expect(plane.runs).toEqual([]);
    expect(
      (await call('/runs', bea, { method: 'POST', body: run('PASS') })).status,
    ).toBe(403);
  });

  it('notifies the tenant and the operators of the new FAIL through Backstage notifications', async () => {
    const inbox = async (username: string) => {
      const res = await fetch(
        `${backend.baseUrl}/api/notifications/notifications?topic=drift`,
        { headers: { Authorization: `Bearer ${await tokenOf(username)}` } },
      );
      expect(res.status).toBe(200);
      return (await res.json()).notifications.map(
        (n: { payload: { title: string } }) => n.payload.title,
      );
    };
    await waitFor('the drift notifications', async () =>
      (await inbox('bea.birds')).length > 0 ? true : undefined,
    );
    expect(await inbox('bea.birds')).toEqual([
      'Project Birds: 1 resource differs from your contract in samakia-dev',
    ]);
    expect(await inbox('olivia.operator')).toContain(
      'Drift FAIL on Project Birds (samakia-dev)',
    );
    // Orchard hears nothing of birds.
    expect(await inbox('otto.orchard')).toEqual([]);
  });
});
