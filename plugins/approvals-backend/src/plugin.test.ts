import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import knexFactory from 'knex';
import request from 'supertest';
import { applyMigrations } from './database/migrations';
import { GpgHome, loadRepoCatalog } from '@internal/fabric-test-utils';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import signingKeysPlugin, {
  signingKeysServiceFactory,
} from '@internal/plugin-signing-keys-backend';
import approvalsPlugin from './index';

// The router's input handling. Who may call what is covered by the
// authorization matrix in packages/backend (real permission backend and policy).
jest.setTimeout(60_000);

const tenant = 'user:default/bea.birds';
const OPERATOR = 'user:default/olivia.operator';
const gpg = new GpgHome();
afterAll(() => gpg.dispose());

async function start() {
  const { server } = await startTestBackend({
    features: [
      approvalsPlugin,
      signingKeysServiceFactory,
      catalogServiceMock.factory({ entities: loadRepoCatalog() }),
      // Olivia is in platform-operators, as the repository catalog has her.
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs:
              ref === OPERATOR
                ? [ref, 'group:default/platform-operators']
                : [ref],
          };
        },
      }).factory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          approvals: {
            environments: { 'samakia-dev': { requiredApprovals: 1 } },
          },
          // Who reviews and applies (the roles the approvals backend reads).
          permission: {
            fabric: { operatorGroups: ['group:default/platform-operators'] },
          },
        },
      }),
    ],
  });
  return server;
}

describe('approvals router input handling', () => {
  const headers = { Authorization: mockCredentials.user.header(tenant) };

  it('answers 400 naming the field and the fix, 404 for unknown ids, 401 for bad credentials', async () => {
    const server = await start();
    const bad = await request(server)
      .post('/api/approvals/proposals')
      .set(headers)
      .send({
        tenant: 'project-birds',
        type: 'nonsense',
        environment: 'samakia-dev',
        title: 'x',
        change: {},
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(bad.body.error.message).toMatch(
      /^The proposal is invalid:\n.*type/s,
    );

    const malformed = await request(server)
      .post('/api/approvals/proposals')
      .set({ ...headers, 'Content-Type': 'application/json' })
      .send('{"tenant": ');
    expect(malformed.status).toBe(400);

    const badId = await request(server)
      .get('/api/approvals/proposals/not-a-uuid')
      .set(headers);
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/proposal id.*UUID/s);

    const missing = await request(server)
      .get('/api/approvals/proposals/00000000-0000-4000-8000-000000000000')
      .set(headers);
    expect(missing.status).toBe(404);

    const badGate = await request(server)
      .get('/api/approvals/gate')
      .query({ tenant: 'project-birds', changeRef: 'has spaces' })
      .set(headers);
    expect(badGate.status).toBe(400);
    expect(badGate.body.error.message).toMatch(/changeRef.*without spaces/s);

    const noGate = await request(server)
      .get('/api/approvals/gate')
      .query({ tenant: 'project-birds', changeRef: 'mr!404' })
      .set(headers);
    expect(noGate.status).toBe(404);
    expect(noGate.body.error.message).toMatch(
      /No proposal of .*project-birds carries change reference mr!404/,
    );

    // Keys moved to the one registry; the old address says where.
    const oldKeys = await request(server)
      .put('/api/approvals/keys/me')
      .set(headers)
      .send({ publicKey: 'ssh-ed25519 AAAA' });
    expect(oldKeys.status).toBe(410);
    expect(oldKeys.body.error.message).toMatch(/\/api\/signing-keys\/keys\/me/);

    // The list's query: every bad parameter is a 400 naming it, never a 500.
    for (const [query, field] of [
      [{ limit: '501' }, 'limit'],
      [{ limit: '0' }, 'limit'],
      [{ offset: '-1' }, 'offset'],
      [{ type: 'nonsense' }, 'type'],
      [{ state: 'nonsense' }, 'state'],
      [{ view: 'everything' }, 'view'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ tenant: 'tenant:a b' }, 'tenant'],
      [{ sort: 'title' }, 'sort'],
    ] as const) {
      const res = await request(server)
        .get('/api/approvals/proposals')
        .query(query)
        .set(headers);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(field);
    }

    const invalid = await request(server)
      .get('/api/approvals/proposals')
      .set({ Authorization: mockCredentials.user.invalidHeader() });
    expect(invalid.status).toBe(401);
  });

  it('refuses an apply without an evidence packet and a promotion that skips a rung (400, naming the field)', async () => {
    const server = await start();
    const submitted = await request(server)
      .post('/api/approvals/proposals')
      .set(headers)
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Rotate the birds database password',
        change: { description: 'Rotate credentials' },
      });
    expect(submitted.status).toBe(201);
    // An operator (a member of platform-operators in the repository catalog).
    const operator = {
      Authorization: mockCredentials.user.header(OPERATOR),
    };
    const noPacket = await request(server)
      .post(`/api/approvals/proposals/${submitted.body.id}/apply`)
      .set(operator)
      .send({ reference: 'CHG-1' });
    expect(noPacket.status).toBe(400);
    expect(noPacket.body.error.message).toMatch(
      /^The apply request is invalid:\n.*evidence/s,
    );
    const notAPacket = await request(server)
      .post(`/api/approvals/proposals/${submitted.body.id}/apply`)
      .set(operator)
      .send({ reference: 'CHG-1', evidence: 'https://ci.example.com/7' });
    expect(notAPacket.status).toBe(400);
    expect(notAPacket.body.error.message).toMatch(
      /evidence.*must be an evidence packet id/s,
    );
    // The tenant is refused before the body is read, packet or not.
    const asTenant = await request(server)
      .post(`/api/approvals/proposals/${submitted.body.id}/apply`)
      .set(headers)
      .send({ reference: 'CHG-1' });
    expect(asTenant.status).toBe(403);

    const skip = await request(server)
      .post('/api/approvals/proposals')
      .set(headers)
      .send({
        tenant: 'project-birds',
        type: 'promotion',
        environment: 'samakia-prod',
        title: 'Promote birds-api past staging',
        change: {
          artefact: { kind: 'image', name: 'registry/birds-api', version: '1' },
          from: 'samakia-dev',
          to: 'samakia-prod',
        },
        packets: [{ packetId: '00000000-0000-4000-8000-0000000000e1' }],
      });
    expect(skip.status).toBe(400);
    expect(skip.body.error.message).toBe(
      'The proposal is invalid: change.to: samakia-prod is not the next rung of samakia-dev; the next rung is samakia-staging (a promotion cannot skip a rung)',
    );
    const listed = await request(server)
      .get('/api/approvals/proposals')
      .set(headers);
    expect(listed.body.items.map((p: { type: string }) => p.type)).toEqual([
      'other',
    ]);
  });

  it('submits with a change reference and answers the gate for it', async () => {
    const server = await start();
    const submitted = await request(server)
      .post('/api/approvals/proposals')
      .set(headers)
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Rotate credentials',
        change: { description: 'Rotate the birds database password' },
        changeRef: 'mr!42',
      });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      state: 'validated',
      changeRef: 'mr!42',
      requester: tenant,
    });
    const gate = await request(server)
      .get('/api/approvals/gate')
      .query({ tenant: 'tenant:default/project-birds', changeRef: 'mr!42' })
      .set(headers);
    expect(gate.status).toBe(200);
    expect(gate.body).toMatchObject({
      proposalId: submitted.body.id,
      allowed: false,
      reasons: [{ code: 'not-approved' }, { code: 'missing-approvals' }],
    });

    // The list answers a page with its total and counts; my own proposal never waits for me.
    const page = await request(server)
      .get('/api/approvals/proposals')
      .query({ q: 'ROTATE', limit: '10' })
      .set(headers);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      items: [expect.objectContaining({ id: submitted.body.id })],
      total: 1,
      limit: 10,
      offset: 0,
      counts: { byState: { validated: 1 }, waitingForMe: 0 },
    });
    const other = await request(server)
      .get('/api/approvals/proposals')
      .query({ view: 'review' })
      .set({
        Authorization: mockCredentials.user.header(
          'user:default/olivia.operator',
        ),
      });
    expect(other.body).toMatchObject({
      items: [expect.objectContaining({ id: submitted.body.id })],
      total: 1,
      counts: { waitingForMe: 1 },
    });
  });

  it('imports the keys of the old approvals table at start as flagged, trusted by nothing', async () => {
    // The old table as PUT /keys/me left it: oscar registered olivia's public key as his own.
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await applyMigrations(db);
    const oliviaKey = gpg.generateKey('Olivia <olivia@example.com>');
    const row = (user: string) => ({
      user_ref: user,
      fingerprint: gpg.fingerprint('Olivia <olivia@example.com>'),
      armored_key: oliviaKey,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    await db('approvals_signing_keys').insert([
      row('user:default/olivia.operator'),
      row('user:default/oscar.operator'),
    ]);
    const { server } = await startTestBackend({
      features: [
        approvalsPlugin,
        signingKeysPlugin,
        signingKeysServiceFactory,
        mockServices.database.factory({ knex: db }),
        catalogServiceMock.factory({ entities: loadRepoCatalog() }),
      // Olivia is in platform-operators, as the repository catalog has her.
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs:
              ref === OPERATOR
                ? [ref, 'group:default/platform-operators']
                : [ref],
          };
        },
      }).factory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    });
    const keysOf = async (user: string) =>
      (
        await request(server)
          .get('/api/signing-keys/keys/me')
          .set({ Authorization: mockCredentials.user.header(user) })
      ).body.items;
    expect(await keysOf('user:default/oscar.operator')).toEqual([
      expect.objectContaining({
        status: 'conflict',
        legacySource: 'approvals',
      }),
    ]);
    expect(await keysOf('user:default/olivia.operator')).toEqual([
      expect.objectContaining({
        status: 'conflict',
        statusMessage: expect.stringContaining('oscar.operator'),
      }),
    ]);
    await db.destroy();
  });
});
