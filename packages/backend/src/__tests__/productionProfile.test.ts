import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Client } from 'pg';
import express from 'express';
import { mockServices } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  createDevIdp,
  createRouter as createIdpRouter,
} from '@internal/plugin-dev-idp-backend';
import { createFabricBackend } from '../backend';
import { freePort, repoRoot, waitFor } from './support/bootBackend';
import { frameResponse, oidcSignIn } from './support/oidcFlow';
import {
  editState,
  foreignRedirectUrls,
  signInUntilCallback,
} from './support/openRedirect';
import { CI_TOKEN } from '@internal/fabric-test-utils';

// Boots the real backend composition with app-config.yaml + app-config.production.yaml against
// the machine's PostgreSQL, exactly as production merges them, and checks that it migrated and
// serves the catalog to a CI token taken from the environment.

const pgUrl = new URL(
  process.env.FABRIC_TEST_PG_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

jest.setTimeout(180_000);

// The auth backend's session store (connect-session-knex, enabled by auth.session.secret for the
// OIDC flow) re-arms a cleanup query every minute and never stops it, not even on backend.stop().
// Once afterAll drops this run's databases that query would fail inside whichever test file the
// worker runs next, so this file switches the store's background cleanup off. Nothing else changes.
jest.mock('connect-session-knex', () =>
  jest.requireActual('./support/sessionStore').withoutCleanup(),
);

/**
 * Stands in for the production issuer (Keycloak, ...): an OpenID Connect provider on its own port
 * and path, outside the backend. Production reaches it through FABRIC_OIDC_* only.
 */
async function startExternalIssuer(portalBaseUrl: string) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/realms/fabric`;
  const client = {
    id: 'fabric-portal-prod',
    secret: randomBytes(24).toString('hex'),
  };
  const logger = mockServices.logger.mock();
  const idp = createDevIdp({
    issuer,
    redirectUri: `${portalBaseUrl}/api/auth/oidc/handler/frame`,
    config: {
      client,
      users: [
        {
          username: 'olivia',
          password: 'issuer-password',
          name: 'Olivia Operator',
          email: 'olivia.operator@samakia.example',
        },
      ],
    },
    logger,
  });
  const app = express();
  app.use('/realms/fabric', await createIdpRouter({ devIdp: idp, logger }));
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    client,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

async function adminQuery<T = any>(sql: string, params: unknown[] = []) {
  const client = new Client({ connectionString: pgUrl.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('production profile', () => {
  const prefix = `fabric_prodtest_${randomBytes(4).toString('hex')}_`;
  const ciToken = randomBytes(24).toString('hex');
  const savedEnv = { ...process.env };
  let backend: ReturnType<typeof createFabricBackend> | undefined;
  let externalIssuer: Awaited<ReturnType<typeof startExternalIssuer>>;
  let baseUrl = '';
  let overrideFile = '';
  let mergedConfig: Config | undefined;
  let catalogCallToken: (() => Promise<string>) | undefined;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    externalIssuer = await startExternalIssuer(baseUrl);
    Object.assign(process.env, {
      NODE_ENV: 'production',
      FABRIC_BASE_URL: baseUrl,
      POSTGRES_HOST: pgUrl.hostname,
      POSTGRES_PORT: pgUrl.port || '5432',
      POSTGRES_USER: decodeURIComponent(pgUrl.username || 'postgres'),
      POSTGRES_PASSWORD: decodeURIComponent(pgUrl.password || 'unused'),
      POSTGRES_DB_PREFIX: prefix,
      FABRIC_CI_TOKEN: ciToken,
      TECHDOCS_BUCKET: 'techdocs',
      TECHDOCS_S3_ENDPOINT: 'http://127.0.0.1:9',
      TECHDOCS_S3_ACCESS_KEY_ID: 'test-access-key',
      TECHDOCS_S3_SECRET_ACCESS_KEY: 'test-secret-key',
      TECHDOCS_S3_REGION: 'us-east-1',
      // Evidence uploads in object storage: not exercised here (productionReplicas.test.ts
      // runs them against an S3 server), but the profile needs its settings.
      EVIDENCE_S3_BUCKET: 'evidence',
      EVIDENCE_S3_ENDPOINT: 'http://127.0.0.1:9',
      EVIDENCE_S3_REGION: 'us-east-1',
      EVIDENCE_S3_ACCESS_KEY_ID: 'test-access-key',
      EVIDENCE_S3_SECRET_ACCESS_KEY: 'test-secret-key',
      FABRIC_AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
      FABRIC_OIDC_METADATA_URL: `${externalIssuer.issuer}/.well-known/openid-configuration`,
      FABRIC_OIDC_CLIENT_ID: externalIssuer.client.id,
      FABRIC_OIDC_CLIENT_SECRET: externalIssuer.client.secret,
    });
    // Only the listen address differs from a real deployment: loopback on a free port.
    overrideFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-prod-')),
      'app-config.test.yaml',
    );
    fs.writeFileSync(
      overrideFile,
      [
        'backend:',
        '  listen:',
        '    host: 127.0.0.1',
        `    port: ${port}`,
        // Relative config paths depend on the working directory; pin the catalog.
        'catalog:',
        '  locations:',
        '    - type: file',
        `      target: ${path.join(repoRoot, 'catalog/all.yaml')}`,
        '',
      ].join('\n'),
    );
    backend = createFabricBackend({
      argv: [
        'node',
        'backend',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        path.join(repoRoot, 'app-config.production.yaml'),
        '--config',
        overrideFile,
      ],
    });
    // Reads the configuration as the backend merged it (nothing else).
    backend.add(
      createBackendPlugin({
        pluginId: 'config-probe',
        register(env) {
          env.registerInit({
            deps: { config: coreServices.rootConfig, auth: coreServices.auth },
            async init({ config, auth }) {
              mergedConfig = config;
              // What a plugin sends when it calls the catalog (a plugin token).
              catalogCallToken = async () =>
                (
                  await auth.getPluginRequestToken({
                    onBehalfOf: await auth.getOwnServiceCredentials(),
                    targetPluginId: 'catalog',
                  })
                ).token;
            },
          });
        },
      }),
    );
    await backend.start();
  });

  afterAll(async () => {
    await backend?.stop();
    await externalIssuer?.close();
    process.env = savedEnv;
    const dbs = await adminQuery<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of dbs) {
      await adminQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    fs.rmSync(path.dirname(overrideFile), { recursive: true, force: true });
  });

  it('migrates the catalog database in PostgreSQL', async () => {
    const dbs = await adminQuery<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    expect(dbs.map(d => d.datname)).toEqual(
      expect.arrayContaining([
        `${prefix}catalog`,
        `${prefix}auth`,
        `${prefix}search`,
      ]),
    );
    const client = new Client({
      connectionString: Object.assign(new URL(pgUrl.toString()), {
        pathname: `/${prefix}catalog`,
      }).toString(),
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM knex_migrations WHERE name LIKE '%.js'",
      );
      expect(rows[0].n).toBeGreaterThan(10);
      const tables = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name IN ('final_entities','refresh_state','relations')",
      );
      expect(
        tables.rows.map((r: { table_name: string }) => r.table_name).sort(),
      ).toEqual(['final_entities', 'refresh_state', 'relations']);
    } finally {
      await client.end();
    }
  });

  it('keeps the packet kinds Run/Operate dev and prod promotions need (seed 004)', () => {
    for (const environment of ['dev', 'prod']) {
      expect(
        mergedConfig!.getStringArray(
          `approvals.environments.${environment}.promotionPacketKinds`,
        ),
      ).toEqual(['eval-report', 'dataset-manifest', 'compatibility']);
    }
  });

  it('uses the PostgreSQL search engine', async () => {
    const client = new Client({
      connectionString: Object.assign(new URL(pgUrl.toString()), {
        pathname: `/${prefix}search`,
      }).toString(),
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT to_regclass('public.documents') IS NOT NULL AS present",
      );
      expect(rows[0].present).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('serves the catalog from catalog/ to the CI token and refuses anonymous calls', async () => {
    const anonymous = await fetch(`${baseUrl}/api/catalog/entities/by-query`);
    expect(anonymous.status).toBe(401);

    // Entities arrive one by one while the catalog processes; wait for the ones we check.
    const planes = await waitFor('the network planes', async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=plane,spec.type=network&limit=100`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      if (res.status !== 200) throw new Error(`catalog answered ${res.status}`);
      const body = await res.json();
      return body.items.length === 3 ? body.items : undefined;
    });
    expect(planes.map((e: any) => e.metadata.name).sort()).toEqual([
      'dns',
      'minio',
      'shared',
    ]);
    const dns = planes.find((e: any) => e.metadata.name === 'dns');
    expect(dns.spec.network).toMatchObject({
      vlan: 100,
      cidr: '10.10.100.0/24',
      gatewayVip: '10.10.100.1',
    });
  });

  it('gzips catalog answers for CI but not for another plugin calling over loopback', async () => {
    const url = `${baseUrl}/api/catalog/entities/by-query?limit=100`;
    const encodingFor = async (token: string) => {
      const res = await fetch(url, {
        headers: {
          Authorization: `Bearer ${token}`,
          'Accept-Encoding': 'gzip',
        },
      });
      expect(res.status).toBe(200);
      // Well above compression's 1 KB threshold, so only the caller decides.
      expect((await res.text()).length).toBeGreaterThan(10_000);
      return res.headers.get('content-encoding');
    };
    expect(await encodingFor(ciToken)).toBe('gzip');
    expect(await encodingFor(await catalogCallToken!())).toBeNull();
  });

  it('does not load the development sign-in or the local dev token', async () => {
    const guest = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(guest.status).toBe(404);
    // Neither the development identity provider nor the local issuer's sign-in exists.
    const devIdp = await fetch(
      `${baseUrl}/api/dev-idp/.well-known/openid-configuration`,
    );
    expect(devIdp.status).toBe(404);
    const devStart = await fetch(
      `${baseUrl}/api/auth/oidc/start?env=development&scope=openid`,
      { redirect: 'manual' },
    );
    expect(devStart.status).toBe(404);
    const devToken = await fetch(`${baseUrl}/api/catalog/entities/by-query`, {
      headers: {
        Authorization: `Bearer ${CI_TOKEN}`,
      },
    });
    expect(devToken.status).toBe(401);
  });

  it('signs in through the external issuer configured by FABRIC_OIDC_* as the catalog user', async () => {
    // The catalog must hold the user before sign-in can resolve it.
    await waitFor('the catalog user', async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/user/default/olivia.operator`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      return res.status === 200 ? true : undefined;
    });
    const { login, submitted } = await oidcSignIn({
      backendUrl: baseUrl,
      env: 'production',
      username: 'olivia',
      password: 'issuer-password',
    });
    expect(login.url.toString()).toMatch(
      new RegExp(`^${externalIssuer.issuer}/interaction/`),
    );
    const { identity } = frameResponse(submitted).response.backstageIdentity;
    expect(identity.userEntityRef).toBe('user:default/olivia.operator');
    expect(identity.ownershipEntityRefs).toContain(
      'group:default/platform-operators',
    );
  });

  it('keeps the redirect flow of a sign-in through the external issuer on the app', async () => {
    // app.baseUrl is FABRIC_BASE_URL, the same origin as the backend here.
    for (const redirectUrl of foreignRedirectUrls(baseUrl)) {
      const query = new URLSearchParams({
        env: 'production',
        scope: 'openid',
        flow: 'redirect',
        redirectUrl,
      });
      const res = await fetch(`${baseUrl}/api/auth/oidc/start?${query}`, {
        redirect: 'manual',
      });
      expect({ redirectUrl, status: res.status }).toEqual({
        redirectUrl,
        status: 400,
      });
      expect(res.headers.get('location')).toBeNull();
    }

    await waitFor('the catalog user', async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/user/default/olivia.operator`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      return res.status === 200 ? true : undefined;
    });
    const signIn = () =>
      signInUntilCallback({
        backendUrl: baseUrl,
        env: 'production',
        username: 'olivia',
        password: 'issuer-password',
        redirectUrl: `${baseUrl}/catalog`,
      });
    const good = await signIn();
    const done = await good.finish(good.callback);
    expect(done.res.status).toBe(302);
    expect(done.url.toString()).toBe(`${baseUrl}/catalog`);

    const other = await signIn();
    const tampered = new URL(other.callback);
    tampered.searchParams.set(
      'state',
      editState(other.callback.searchParams.get('state')!, params =>
        params.set('redirectUrl', 'https://evil.example/phish'),
      ),
    );
    const refused = await other.finish(tampered);
    expect(refused.url.origin).toBe(baseUrl);
    expect(refused.res.status).toBe(400);
  });
});
