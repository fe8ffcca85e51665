import { bootBackend, waitFor } from './support/bootBackend';
import { frameResponse, oidcSignIn } from './support/oidcFlow';

// The failure-domain impact API on the real backend composition (backend.ts, app-config.yaml):
// users sign in through the real OpenID Connect flow, the Fabric permission policy decides
// what the catalog shows them, and the impact is computed from what each caller may read.
// Nothing is mocked between the HTTP request and the answer.

jest.setTimeout(180_000);

const ciToken = 'local-dev-ci-token-not-for-production';
// A token that may call this plugin but not read the catalog through it.
const driftOnlyToken = 'drift-only-token-for-this-test';
const restrictions = (fabricOps: string[]) => [
  { plugin: 'catalog', permission: ['catalog.entity.read'] },
  { plugin: 'fabric-ops', permission: fabricOps },
];

describe('failure-domain impact on the real composition', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  const tokens: Record<'bea' | 'olivia' | 'wendy', string> = {
    bea: '',
    olivia: '',
    wendy: '',
  };

  async function impact(token: string | undefined, domain: string) {
    const res = await fetch(
      `${backend.baseUrl}/api/fabric-ops/impact?failureDomain=${domain}`,
      { headers: token ? { Authorization: `Bearer ${token}` } : {} },
    );
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  }

  const tenantsOf = (body: any): string[] =>
    body.tenants.map((t: { ref: string }) => t.ref);

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
          // Replaces the list of app-config.yaml (lists are not merged).
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: ciToken, subject: 'fabric-ci' },
                accessRestrictions: restrictions(['catalog.entity.read']),
              },
              {
                type: 'static',
                options: { token: driftOnlyToken, subject: 'drift-only' },
                accessRestrictions: restrictions(['drift.report.read']),
              },
            ],
          },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
      }),
    });
    // Loaded once CI's answer names the three tenants.
    await waitFor('the catalog to load', async () => {
      const { status, body } = await impact(ciToken, 'proxmox1');
      if (status === 200 && body.tenants.length === 3) return body;
      // Reported by waitFor if the catalog never gets there.
      throw new Error(`${status} ${JSON.stringify(body).slice(0, 300)}`);
    });
    const users = {
      bea: 'bea.birds',
      olivia: 'olivia.operator',
      wendy: 'wendy.web',
    } as const;
    for (const [who, username] of Object.entries(users)) {
      const { submitted } = await oidcSignIn({
        backendUrl: backend.baseUrl,
        env: 'development',
        username,
        password: 'fabric-dev',
      });
      tokens[who as keyof typeof tokens] =
        frameResponse(submitted).response.backstageIdentity.token;
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('gives an operator and CI the whole answer for proxmox1', async () => {
    for (const token of [tokens.olivia, ciToken]) {
      const { status, body } = await impact(token, 'proxmox1');
      expect(status).toBe(200);
      expect(body.hosts.map((h: { name: string }) => h.name)).toEqual([
        'dns-edge-1',
        'minio-1',
        'minio-edge-1',
      ]);
      expect(tenantsOf(body)).toEqual([
        'tenant:default/project-birds',
        'tenant:default/project-harbor',
        'tenant:default/project-orchard',
      ]);
    }
  });

  it('names only the caller’s own tenant to a tenant member, with the same platform facts', async () => {
    const asBea = await impact(tokens.bea, 'proxmox2');
    const asOlivia = await impact(tokens.olivia, 'proxmox2');
    expect(asBea.status).toBe(200);
    expect(tenantsOf(asBea.body)).toEqual(['tenant:default/project-birds']);
    expect(JSON.stringify(asBea.body)).not.toContain('project-orchard');
    expect(JSON.stringify(asBea.body)).not.toContain('project-harbor');
    expect(asBea.body.services).toEqual(asOlivia.body.services);
    expect(asBea.body.vips).toEqual(asOlivia.body.vips);
  });

  it('names no tenant to a signed-in user whose team owns none', async () => {
    const { status, body } = await impact(tokens.wendy, 'proxmox3');
    expect(status).toBe(200);
    expect(body.tenants).toEqual([]);
    expect(body.hosts.length).toBe(2);
  });

  it('refuses a token whose restrictions do not grant it catalog reads through this plugin', async () => {
    const { status, body } = await impact(driftOnlyToken, 'proxmox1');
    expect(status).toBe(403);
    expect(body.error.message).toContain('catalog.entity.read');
  });

  it('refuses anonymous callers and names the field of a bad query', async () => {
    expect((await impact(undefined, 'proxmox1')).status).toBe(401);
    const bad = await impact(tokens.bea, 'proxmox4');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('failureDomain');
  });
});
