import { bootBackend, waitFor } from './support/bootBackend';
import { devSignInAll } from './support/oidcFlow';
import { CI_TOKEN } from '@internal/fabric-test-utils';
import { backendDatabase } from './reliability/support/postgres';

// Tenant isolation on the real backend composition (backend.ts, app-config.yaml) and the real
// catalog API: users sign in through the real OpenID Connect flow of the local default, the
// Fabric permission policy decides and the catalog applies its conditions in the database.
// Nothing is mocked between the HTTP request and the catalog's answer.

jest.setTimeout(180_000);

const ciToken = CI_TOKEN;

describe('tenant isolation in the catalog', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  const tokens: Record<'bea' | 'olivia' | 'wendy', string> = {
    bea: '',
    olivia: '',
    wendy: '',
  };

  async function get(token: string | undefined, urlPath: string) {
    const res = await fetch(`${backend.baseUrl}/api/catalog${urlPath}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  }

  async function names(token: string, filter: string): Promise<string[]> {
    const res = await get(
      token,
      `/entities/by-query?filter=${filter}&fields=metadata.name&limit=500`,
    );
    if (res.status !== 200) {
      throw new Error(
        `GET ${filter} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.items.map((e: any) => e.metadata.name).sort();
  }

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      dataFolders: true,
      extraConfig: () => ({ backend: { database: backendDatabase() } }),
    });

    // The catalog has finished loading once CI sees every tenant and some services.
    await waitFor('the catalog to load', async () => {
      const { body } = await get(
        ciToken,
        '/entities/by-query?filter=kind=tenant&filter=kind=component,spec.type=service&fields=kind&limit=500',
      );
      const items: Array<{ kind: string }> = body?.items ?? [];
      return items.filter(e => e.kind === 'Tenant').length === 3 &&
        items.length > 3
        ? items
        : undefined;
    });

    // Sign-in resolves the user in the catalog, so it comes after the catalog has loaded.
    Object.assign(
      tokens,
      await devSignInAll(backend.baseUrl, {
        bea: 'bea.birds',
        olivia: 'olivia.operator',
        // web-team owns no tenant: a signed-in user who belongs to no tenant.
        wendy: 'wendy.web',
      }),
    );
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('shows an operator every tenant', async () => {
    expect(await names(tokens.olivia, 'kind=tenant')).toEqual([
      'project-birds',
      'project-harbor',
      'project-orchard',
    ]);
  });

  it('shows a tenant member only their own tenant', async () => {
    expect(await names(tokens.bea, 'kind=tenant')).toEqual(['project-birds']);
  });

  it('hides another tenant from a tenant member even by name', async () => {
    const asOperator = await get(
      tokens.olivia,
      '/entities/by-name/tenant/default/project-orchard',
    );
    expect(asOperator.status).toBe(200);
    const asBea = await get(
      tokens.bea,
      '/entities/by-name/tenant/default/project-orchard',
    );
    expect(asBea.status).toBe(404);
    const own = await get(
      tokens.bea,
      '/entities/by-name/tenant/default/project-birds',
    );
    expect(own.status).toBe(200);
    expect(own.body.spec.owner).toBe('group:default/team-birds');
  });

  it('lets a tenant member read the shared platform: planes, services, groups', async () => {
    for (const filter of [
      'kind=plane',
      'kind=component,spec.type=service',
      'kind=group',
    ]) {
      const all = await names(tokens.olivia, filter);
      expect(all.length).toBeGreaterThan(0);
      expect(await names(tokens.bea, filter)).toEqual(all);
    }
  });

  it('shows a signed-in user whose team owns no tenant no tenant, but the platform', async () => {
    expect(await names(tokens.wendy, 'kind=tenant')).toEqual([]);
    expect(await names(tokens.wendy, 'kind=plane')).toEqual(
      await names(tokens.olivia, 'kind=plane'),
    );
  });

  it('does not let a tenant member change the catalog', async () => {
    const dns = await get(tokens.bea, '/entities/by-name/plane/default/dns');
    expect(dns.status).toBe(200);
    const remove = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-uid/${dns.body.metadata.uid}`,
      { method: 'DELETE', headers: { Authorization: `Bearer ${tokens.bea}` } },
    );
    expect(remove.status).toBe(403);
    const register = await fetch(`${backend.baseUrl}/api/catalog/locations`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokens.bea}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        type: 'url',
        target: 'https://example.com/x.yaml',
      }),
    });
    expect(register.status).toBe(403);
    // Still there.
    expect(
      (await get(tokens.olivia, '/entities/by-name/plane/default/dns')).status,
    ).toBe(200);
  });

  it('leaves the CI token reading everything and refuses anonymous callers', async () => {
    expect(await names(ciToken, 'kind=tenant')).toEqual([
      'project-birds',
      'project-harbor',
      'project-orchard',
    ]);
    expect(
      (await get(undefined, '/entities/by-query?filter=kind=tenant')).status,
    ).toBe(401);
  });
});
