import { bootBackend, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// The approvals API on the real composition of the local default: users sign in through the
// real OpenID Connect flow, CI uses the static token with its access restrictions. CI reads
// the gate and proposals and can do nothing else; the tenant's proposal keeps its requester.

jest.setTimeout(180_000);

const ciToken = CI_TOKEN;

describe('approvals on the real backend: CI token and signed-in users', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  let beaToken: string;

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
    // Validation looks the tenant up in the catalog, so wait until it is ingested.
    await waitFor('the birds tenant in the catalog', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/tenant/default/project-birds`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      return res.ok ? true : undefined;
    });
    beaToken = await devSignIn(backend.baseUrl, 'bea.birds');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const call = (
    path: string,
    token: string | undefined,
    init: { method?: string; body?: unknown } = {},
  ) =>
    fetch(`${backend.baseUrl}/api/approvals${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });

  it('lets CI read the gate and nothing more', async () => {
    const submission = {
      tenant: 'project-birds',
      type: 'capacity-change',
      environment: 'samakia-prod',
      title: 'More memory for birds',
      changeRef: 'mr!7',
      change: {
        quotas: {
          cpuCores: 8,
          memoryGiB: 48,
          storageGiB: 500,
          maxDatabases: 4,
          maxConnections: 200,
        },
      },
    };
    const submitted = await call('/proposals', beaToken, {
      method: 'POST',
      body: submission,
    });
    const proposal = await submitted.json();
    expect(submitted.status).toBe(201);
    expect(proposal).toMatchObject({
      state: 'validated',
      requester: 'user:default/bea.birds',
    });

    const gate = await call(
      `/gate?tenant=project-birds&changeRef=mr!7`,
      ciToken,
    );
    expect(gate.status).toBe(200);
    expect(await gate.json()).toMatchObject({
      proposalId: proposal.id,
      allowed: false,
      reasons: [
        { code: 'not-approved' },
        { code: 'missing-approvals', message: '0 of 2 required approvals' },
      ],
    });
    expect((await call(`/proposals/${proposal.id}/gate`, ciToken)).status).toBe(
      200,
    );
    expect((await call(`/proposals/${proposal.id}`, ciToken)).status).toBe(200);
    expect(
      (await call(`/proposals/${proposal.id}/audit`, ciToken)).status,
    ).toBe(200);

    const refused: Array<[string, string, unknown]> = [
      ['POST', '/proposals', submission],
      ['POST', `/proposals/${proposal.id}/claim`, {}],
      ['POST', `/proposals/${proposal.id}/approve`, {}],
      ['POST', `/proposals/${proposal.id}/reject`, { reason: 'no' }],
      ['POST', `/proposals/${proposal.id}/apply`, { reference: 'CHG-1' }],
      // CI never runs the operator's steps after apply either.
      [
        'POST',
        `/proposals/${proposal.id}/verify`,
        { evidence: '00000000-0000-4000-8000-000000000001' },
      ],
      [
        'POST',
        `/proposals/${proposal.id}/rollback`,
        { reason: 'x', evidence: '00000000-0000-4000-8000-000000000001' },
      ],
      ['POST', `/proposals/${proposal.id}/withdraw`, {}],
      ['GET', '/audit/verify', undefined],
    ];
    for (const [method, path, body] of refused) {
      const res = await call(path, ciToken, { method, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }

    // The tenant may read its own proposal's trail, never approve it; nobody anonymous gets in.
    expect(
      (await call(`/proposals/${proposal.id}/audit`, beaToken)).status,
    ).toBe(200);
    expect(
      (
        await call(`/proposals/${proposal.id}/approve`, beaToken, {
          method: 'POST',
          body: {},
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(`/proposals/${proposal.id}/gate`, undefined)).status,
    ).toBe(401);
    // Near misses of the CI token, with and without a dot (a token without one skips the
    // plugin-token decoding, see pluginTokenShortcut.ts): refused like no token at all.
    for (const forged of [
      `${ciToken}x`,
      ciToken.slice(0, -1),
      `${ciToken}.x`,
      `x.${ciToken}`,
    ]) {
      expect(
        (await call(`/proposals/${proposal.id}/gate`, forged)).status,
      ).toBe(401);
    }
  });

  it('notifies the operators that a proposal waits for their review', async () => {
    const oliviaToken = await devSignIn(backend.baseUrl, 'olivia.operator');
    const res = await fetch(
      `${backend.baseUrl}/api/notifications/notifications?topic=approvals-review`,
      { headers: { Authorization: `Bearer ${oliviaToken}` } },
    );
    expect(res.status).toBe(200);
    const { notifications } = await res.json();
    expect(
      notifications.map((n: { payload: { title: string } }) => n.payload.title),
    ).toContain('Review needed: More memory for birds');
    // The requester is not told to review their own proposal.
    const bea = await fetch(
      `${backend.baseUrl}/api/notifications/notifications?topic=approvals-review`,
      { headers: { Authorization: `Bearer ${beaToken}` } },
    );
    expect((await bea.json()).notifications).toEqual([]);
  });
});
