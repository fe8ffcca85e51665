import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import knexFactory from 'knex';
import { parseAllDocuments } from 'yaml';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';

// Tenant isolation on the real backend composition (backend.ts, app-config.yaml) and the real
// catalog API: the Fabric permission policy decides, the catalog applies its conditions in
// the database.
//
// Users are signed in by hand, doing the two things a sign-in does in the auth backend
// (CatalogAuthResolverContext.issueToken): issue a user token signed with the auth backend's
// key, and record the user's claims in its user_info table, where other backends look them
// up (/api/auth/v1/userinfo) when they call the permission backend on the user's behalf. The
// auth backend is given a static signing key (auth.keyStore.provider: static) so the test can
// sign with it. So no sign-in provider is involved and nothing is mocked between the HTTP
// request and the catalog's answer.

jest.setTimeout(180_000);

const ciToken = 'local-dev-ci-token-not-for-production';
const KEY_ID = 'tenant-isolation-test';

/** A user's ownership refs as the catalog sign-in resolver gives them: self + memberOf groups. */
function ownershipOf(userName: string): string[] {
  const org = parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'catalog/org.yaml'), 'utf8'),
  ).map(d => d.toJS());
  const user = org.find(
    e => e?.kind === 'User' && e.metadata.name === userName,
  );
  if (!user) throw new Error(`no user ${userName} in catalog/org.yaml`);
  return [
    `user:default/${userName}`,
    ...((user.spec.memberOf as string[]) ?? []).map(g => `group:default/${g}`),
  ];
}

const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value)
    ? value
    : Buffer.from(JSON.stringify(value))
  ).toString('base64url');

function es256(privateKey: KeyObject, signingInput: string): string {
  return b64url(
    sign('sha256', Buffer.from(signingInput), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    }),
  );
}

/**
 * A Backstage user token (typ vnd.backstage.user, ES256) signed with the static key, shaped
 * like the auth backend's: `uip` is the signature of the matching limited user token, which
 * backends check when they call each other on the user's behalf.
 */
function userToken(
  privateKey: KeyObject,
  issuer: string,
  userEntityRef: string,
  ownershipEntityRefs: string[],
): string {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + 3600;
  const limited = [
    b64url({ typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: KEY_ID }),
    b64url({ sub: userEntityRef, iat, exp }),
  ].join('.');
  const signingInput = [
    b64url({ alg: 'ES256', kid: KEY_ID, typ: 'vnd.backstage.user' }),
    b64url({
      iss: issuer,
      sub: userEntityRef,
      ent: ownershipEntityRefs,
      aud: 'backstage',
      iat,
      exp,
      uip: es256(privateKey, limited),
    }),
  ].join('.');
  return `${signingInput}.${es256(privateKey, signingInput)}`;
}

describe('tenant isolation in the catalog', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const tokens: Record<'bea' | 'olivia' | 'newcomer', string> = {
    bea: '',
    olivia: '',
    newcomer: '',
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
      extraConfig: ({ tmpDir }) => {
        const publicKeyFile = path.join(tmpDir, 'signing-key.pub.pem');
        const privateKeyFile = path.join(tmpDir, 'signing-key.pem');
        fs.writeFileSync(
          publicKeyFile,
          publicKey.export({ type: 'spki', format: 'pem' }),
        );
        fs.writeFileSync(
          privateKeyFile,
          privateKey.export({ type: 'pkcs8', format: 'pem' }),
        );
        return {
          backend: {
            // One SQLite file per plugin in the test's folder, so the test can reach auth's.
            database: {
              client: 'better-sqlite3',
              connection: { directory: path.join(tmpDir, 'db') },
            },
          },
          techdocs: {
            publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
          },
          auth: {
            keyStore: {
              provider: 'static',
              static: {
                keys: [
                  {
                    keyId: KEY_ID,
                    algorithm: 'ES256',
                    publicKeyFile,
                    privateKeyFile,
                  },
                ],
              },
            },
          },
        };
      },
    });

    const issuer = `${backend.baseUrl}/api/auth`;
    const signIns = {
      bea: ['user:default/bea.birds', ownershipOf('bea.birds')],
      olivia: ['user:default/olivia.operator', ownershipOf('olivia.operator')],
      newcomer: ['user:default/newcomer', ['user:default/newcomer']],
    } as const;
    const authDb = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(backend.tmpDir, 'db', 'auth.sqlite') },
      useNullAsDefault: true,
    });
    try {
      for (const [who, [sub, ent]] of Object.entries(signIns)) {
        tokens[who as keyof typeof tokens] = userToken(
          privateKey,
          issuer,
          sub,
          [...ent],
        );
        await authDb('user_info').insert({
          user_entity_ref: sub,
          user_info: JSON.stringify({ claims: { sub, ent } }),
          updated_at: new Date().toISOString(),
        });
      }
    } finally {
      await authDb.destroy();
    }

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

  it('shows a signed-in user without a team no tenant, but the platform', async () => {
    expect(await names(tokens.newcomer, 'kind=tenant')).toEqual([]);
    expect(await names(tokens.newcomer, 'kind=plane')).toEqual(
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
