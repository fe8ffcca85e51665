import fs from 'node:fs';
import path from 'node:path';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN, GpgHome } from '@internal/fabric-test-utils';
import {
  acceptanceFiles,
  tarGz,
  writePacket,
} from '@internal/plugin-evidence-backend/testUtils';

// The evidence API on the real composition of the local default: CI uploads a packet signed
// with the real gpg (its key registered by its owner in the signing-key registry, with a signed
// challenge) with the static
// token; tenant members signed in through the real OpenID Connect flow see only their
// tenant's packets, the committed sample root included.

jest.setTimeout(180_000);

const ciToken = CI_TOKEN;

describe('evidence on the real backend: CI upload and tenant isolation', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  const gpg = new GpgHome();
  let tokens: Record<'bea' | 'otto' | 'olivia', string>;

  beforeAll(async () => {
    const signer = 'CI Signer <olivia.operator@samakia.example>';
    const publicKey = gpg.generateKey(signer);
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
        evidence: {
          // Absolute, as the working directory differs between a root and a package run.
          roots: [
            { name: 'samples', path: path.join(repoRoot, 'evidence-samples') },
          ],
          dataDir: path.join(tmpDir, 'evidence'),
          upload: { maxBytes: 1024 * 1024 },
          rescan: { initialDelay: { seconds: 1 } },
        },
      }),
    });
    // Sign-in resolves users in the catalog, so wait until it is ingested.
    await waitFor('the users in the catalog', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/user/default/otto.orchard`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      return res.ok ? true : undefined;
    });
    const tokenOf = (username: string) => devSignIn(backend.baseUrl, username);
    tokens = {
      bea: await tokenOf('bea.birds'),
      otto: await tokenOf('otto.orchard'),
      olivia: await tokenOf('olivia.operator'),
    };
    // Olivia registers the key she signs with: a challenge, signed with it, then the key.
    const keysApi = `${backend.baseUrl}/api/signing-keys`;
    const auth = {
      Authorization: `Bearer ${tokens.olivia}`,
      'Content-Type': 'application/json',
    };
    const challenge = await (
      await fetch(`${keysApi}/challenges`, {
        method: 'POST',
        headers: auth,
        body: '{}',
      })
    ).json();
    const registered = await fetch(`${keysApi}/keys/me`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({
        publicKey,
        challengeId: challenge.id,
        signature: gpg.sign(signer, challenge.text),
      }),
    });
    if (registered.status !== 200) {
      throw new Error(
        `registering olivia's key failed: ${await registered.text()}`,
      );
    }
  });

  afterAll(async () => {
    await backend?.stop();
    gpg.dispose();
  });

  const call = (
    p: string,
    token: string | undefined,
    init: { method?: string; body?: Buffer; type?: string } = {},
  ) =>
    fetch(`${backend.baseUrl}/api/evidence${p}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body
          ? { 'Content-Type': init.type ?? 'application/gzip' }
          : {}),
      },
      body: init.body,
    });

  function signedPacket(name: string): Buffer {
    const dir = writePacket(
      path.join(backend.tmpDir, 'build', name),
      acceptanceFiles(name),
    );
    gpg.detachSign(
      path.join(dir, 'manifest.sha256'),
      path.join(dir, 'manifest.sha256.asc'),
      'olivia.operator@samakia.example',
    );
    return fs.readFileSync(
      tarGz(dir, path.join(backend.tmpDir, 'build', `${name}.tgz`)),
    );
  }

  it('lets CI upload a signed packet and read it, and nothing more', async () => {
    const body = signedPacket('birds-acceptance');
    const query =
      '?area=tenants&subject=project-birds&timestamp=2026-07-01T09:00:00Z';
    const upload = await call(`/packets${query}`, ciToken, {
      method: 'POST',
      body,
    });
    expect(upload.status).toBe(201);
    const { packet } = await upload.json();
    expect(packet).toMatchObject({
      verdict: 'verified',
      tenant: 'tenant:default/project-birds',
      signers: ['user:default/olivia.operator'],
      source: 'upload',
    });
    // The same packet again is a no-op; other content under the same key is refused.
    const again = await call(`/packets${query}`, ciToken, {
      method: 'POST',
      body,
    });
    expect(again.status).toBe(200);
    expect(
      (
        await call(`/packets${query}`, ciToken, {
          method: 'POST',
          body: signedPacket('other'),
        })
      ).status,
    ).toBe(409);

    const list = await call('/packets?tenant=project-birds', ciToken);
    expect(list.status).toBe(200);
    expect(
      (await list.json()).items.map((p: { id: string }) => p.id),
    ).toContain(packet.id);
    expect((await call(`/packets/${packet.id}`, ciToken)).status).toBe(200);

    expect((await call('/rescan', ciToken, { method: 'POST' })).status).toBe(
      403,
    );
    expect(
      (
        await fetch(`${backend.baseUrl}/api/signing-keys/keys/me`, {
          headers: { Authorization: `Bearer ${ciToken}` },
        })
      ).status,
    ).toBe(403);
    expect((await call('/packets', undefined)).status).toBe(401);
    expect(
      (
        await call(`/packets${query}`, 'not-the-token', {
          method: 'POST',
          body,
        })
      ).status,
    ).toBe(401);
    // Tenant members read, never upload.
    expect(
      (
        await call(
          '/packets?area=tenants&subject=project-birds&timestamp=2026-07-02T09:00:00Z',
          tokens.bea,
          {
            method: 'POST',
            body,
          },
        )
      ).status,
    ).toBe(403);
  });

  it('refuses an oversized upload with 413 and a bad one with 400', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    const res = await call(
      '/packets?area=drift&timestamp=2026-07-03T09:00:00Z',
      ciToken,
      {
        method: 'POST',
        body: big,
      },
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(
      /evidence\.upload\.maxBytes/,
    );
    const bad = await call('/packets?area=drift', ciToken, {
      method: 'POST',
      body: signedPacket('x'),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/timestamp/);
  });

  it("shows each tenant only its own packets, with the sample root's marker", async () => {
    const rescan = await call('/rescan', tokens.olivia, { method: 'POST' });
    expect(rescan.status).toBe(200);
    expect(await rescan.json()).toMatchObject({ errors: [] });

    const bea = await (
      await call('/packets?entity=tenant:default/project-birds', tokens.bea)
    ).json();
    const keys = bea.items.map((p: { key: string }) => p.key);
    expect(keys).toEqual([
      'tenants/project-birds/2026-07-01T09:00:00Z',
      'tenants/project-birds/2026-01-02T17:07:50Z',
    ]);
    const sample = bea.items[1];
    expect(sample).toMatchObject({
      verdict: 'unsigned',
      source: 'root:samples',
    });
    const view = await (await call(`/packets/${sample.id}`, tokens.bea)).json();
    expect(view.markers).toEqual([
      expect.objectContaining({ path: 'acceptance/PHASE11_PART3_ACCEPTED.md' }),
    ]);
    expect(view.reasons.map((r: { code: string }) => r.code)).toEqual([
      'signature-missing',
    ]);
    // Its RFC 3161 timestamp, by the authority app-config.yaml trusts for the samples.
    expect(view.timestamps).toEqual([
      expect.objectContaining({
        file: 'manifest.sha256.tsr',
        status: 'valid',
        authority: 'sample-tsa',
        hashAlgorithm: 'SHA-256',
        tsa: expect.stringContaining('Fabric Sample TSA'),
      }),
    ]);
    // The one step layout, grouped by check as the seed's tenant packets are
    // (evidence/tenants/<tenant>/<UTC>/substrate-capacity/).
    expect(view.steps).toEqual([
      {
        name: 'substrate-capacity/01-contracts',
        exitCode: 0,
        stdout: 'substrate-capacity/steps/01-contracts/stdout.log',
        stderr: 'substrate-capacity/steps/01-contracts/stderr.log',
      },
      {
        name: 'substrate-capacity/02-capacity',
        exitCode: 0,
        stdout: 'substrate-capacity/steps/02-capacity/stdout.log',
        stderr: 'substrate-capacity/steps/02-capacity/stderr.log',
      },
    ]);

    const otto = await (await call('/packets', tokens.otto)).json();
    expect(otto.items).toEqual([]);
    // Another tenant's packet is not found, exactly like a missing id.
    expect((await call(`/packets/${sample.id}`, tokens.otto)).status).toBe(404);
  });
});
