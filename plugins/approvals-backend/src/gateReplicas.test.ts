import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { signingKeysServiceFactory } from '@internal/plugin-signing-keys-backend';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import approvalsPlugin from './index';

// Two replicas of the approvals backend on one PostgreSQL, each with its own connection pool:
// a decision taken on one is what the gate on the other answers, at once. Nothing may hold
// a copy of a proposal or its decisions between requests (no cache that could be stale).
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const bea = 'user:default/bea.birds';
const olivia = 'user:default/olivia.operator';
const OPERATORS = 'group:default/platform-operators';

/** Olivia is in the operators' group, everybody else only themselves. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs:
          userEntityRef === olivia
            ? [userEntityRef, OPERATORS]
            : [userEntityRef],
      };
    },
  }),
});

async function replica(knex: Knex) {
  const { server } = await startTestBackend({
    features: [
      approvalsPlugin,
      signingKeysServiceFactory,
      userInfo,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: loadRepoCatalog() }),
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
          permission: { fabric: { operatorGroups: [OPERATORS] } },
        },
      }),
    ],
  });
  return server;
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const ci = { Authorization: mockCredentials.service.header() };

describe('the gate on two replicas sharing one PostgreSQL', () => {
  let other: Knex | undefined;
  afterAll(async () => {
    await other?.destroy();
  });

  it('answers a decision taken on the other replica at once, both ways', async () => {
    const knexA = await databases.init('POSTGRES_15');
    // Replica B: its own pool to the same database, as a second process would have.
    other = knexFactory(knexA.client.config);
    const a = await replica(knexA);
    const b = await replica(other);
    const changeRef = 'mr!replicas';
    const gateOn = async (server: typeof a) =>
      request(server)
        .get('/api/approvals/gate')
        .query({ tenant: 'project-birds', changeRef })
        .set(ci);

    const submitted = await request(a)
      .post('/api/approvals/proposals')
      .set(as(bea))
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Rotate credentials',
        change: { description: 'Rotate the birds database password' },
        changeRef,
      });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id;

    // B answers before the decision (whatever it might keep from this answer must not
    // survive the decision on A).
    const before = await gateOn(b);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ proposalId: id, allowed: false });

    expect(
      (
        await request(a)
          .post(`/api/approvals/proposals/${id}/claim`)
          .set(as(olivia))
      ).status,
    ).toBe(200);
    const approved = await request(a)
      .post(`/api/approvals/proposals/${id}/approve`)
      .set(as(olivia))
      .send({ comment: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.proposal.state).toBe('approved');

    // The very next request on B, no wait: allowed.
    const after = await gateOn(b);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      proposalId: id,
      allowed: true,
      reasons: [],
    });
    const byId = await request(b)
      .get(`/api/approvals/proposals/${id}/gate`)
      .set(ci);
    expect(byId.body).toMatchObject({ allowed: true });

    // And back: withdrawn on B, the gate on A refuses at once.
    const withdrawn = await request(b)
      .post(`/api/approvals/proposals/${id}/withdraw`)
      .set(as(bea))
      .send({ reason: 'not needed any more' });
    expect(withdrawn.status).toBe(200);
    const refused = await gateOn(a);
    expect(refused.status).toBe(200);
    expect(refused.body.allowed).toBe(false);
    expect(refused.body.reasons.length).toBeGreaterThan(0);
  });
});
