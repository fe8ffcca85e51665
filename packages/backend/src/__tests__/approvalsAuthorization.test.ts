import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import approvalsBackend from '@internal/plugin-approvals-backend';
import request from 'supertest';
import {
  BEA,
  OSCAR,
  Who,
  errorBody,
  headerOf,
  recordingNotifications,
  startMatrixBackend,
} from '../__testUtils__/authorizationMatrix';

/**
 * The authorization matrix of the approvals API: every role against every
 * endpoint, with the real permission backend, the Fabric policy module and the
 * approvals plugin on one test backend. Users and their groups come from the
 * repository's catalog; only the identity layer is mocked (tokens name the user,
 * see src/__testUtils__/oboMockAuth.ts).
 * The CI token's restrictions are covered against the real composition in
 * approvalsCi.test.ts.
 */
jest.setTimeout(120_000);

const sent: NotificationSendOptions[] = [];

const blockedGate = expect.objectContaining({
  state: 'validated',
  allowed: false,
});
const intactChain = expect.objectContaining({ ok: true });

describe('approvals API authorization matrix', () => {
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    server = await startMatrixBackend({
      plugin: approvalsBackend,
      tenantPermissions: [
        'approvals.proposal.read',
        'approvals.proposal.create',
        'approvals.proposal.withdraw',
        'approvals.gate.read',
      ],
      features: [recordingNotifications(sent)],
      config: {
        approvals: {
          environments: {
            'samakia-dev': { requiredApprovals: 1 },
          },
        },
      },
    });
  });

  const api = (path: string) => `/api/approvals${path}`;

  async function submitAsBea(changeRef?: string) {
    const res = await request(server)
      .post(api('/proposals'))
      .set(headerOf.birds)
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Rotate the birds database password',
        change: { description: 'Rotate credentials' },
        ...(changeRef ? { changeRef } : {}),
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function asOscar(path: string, body: object = {}) {
    const res = await request(server)
      .post(api(path))
      .set({ Authorization: mockCredentials.user.header(OSCAR) })
      .send(body);
    expect(res.status).toBe(200);
  }

  /** A proposal of birds in the state the row needs. */
  async function proposalIn(state: 'validated' | 'in-review' | 'approved') {
    const id = await submitAsBea();
    if (state !== 'validated') await asOscar(`/proposals/${id}/claim`);
    if (state === 'approved') await asOscar(`/proposals/${id}/approve`);
    return id;
  }

  // [who, expected status] for each endpoint. Another tenant's proposal is not found (404).
  const reads: Array<[Who, number]> = [
    ['admin', 200],
    ['operator', 200],
    ['birds', 200],
    ['orchard', 404],
    ['service', 200],
    ['anonymous', 401],
  ];

  it.each(reads)(
    'GET /proposals/:id, /audit and /gate as %s -> %i',
    async (who, status) => {
      const id = await proposalIn('validated');
      for (const path of [
        `/proposals/${id}`,
        `/proposals/${id}/audit`,
        `/proposals/${id}/gate`,
      ]) {
        const res = await request(server).get(api(path)).set(headerOf[who]);
        expect([path, res.status]).toEqual([path, status]);
      }
    },
  );

  /** The error body without `request`, which echoes the caller's own URL. */
  const answerOf = (res: { status: number; body: any }) => {
    const { request: _request, ...body } = res.body;
    return { status: res.status, body };
  };

  it("answers orchard on birds' proposal exactly like a proposal that does not exist", async () => {
    const id = await proposalIn('validated');
    const missing = randomUUID();
    for (const path of [
      `/proposals/${id}`,
      `/proposals/${id}/audit`,
      `/proposals/${id}/gate`,
    ]) {
      const owned = answerOf(
        await request(server).get(api(path)).set(headerOf.orchard),
      );
      const none = answerOf(
        await request(server)
          .get(api(path.replace(id, missing)))
          .set(headerOf.orchard),
      );
      expect(JSON.parse(JSON.stringify(owned).replaceAll(id, missing))).toEqual(
        none,
      );
      expect(owned).toEqual({
        status: 404,
        body: {
          error: {
            name: 'NotFoundError',
            message: `No proposal with id ${id}`,
          },
          response: { statusCode: 404 },
        },
      });
    }
    const changeRef = `mr!${Math.floor(Math.random() * 1e9)}`;
    await submitAsBea(changeRef);
    const unused = `mr!unused-${randomUUID()}`;
    const gate = async (ref: string) =>
      answerOf(
        await request(server)
          .get(api('/gate'))
          .query({ tenant: 'project-birds', changeRef: ref })
          .set(headerOf.orchard),
      );
    const ownedGate = await gate(changeRef);
    expect(ownedGate.status).toBe(404);
    expect(
      JSON.parse(JSON.stringify(ownedGate).replaceAll(changeRef, unused)),
    ).toEqual(await gate(unused));
  });

  it.each(reads)(
    'GET /gate by tenant and change reference as %s -> %i',
    async (who, status) => {
      const changeRef = `mr!${Math.floor(Math.random() * 1e9)}`;
      await submitAsBea(changeRef);
      const res = await request(server)
        .get(api('/gate'))
        .query({ tenant: 'project-birds', changeRef })
        .set(headerOf[who]);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(status === 200 ? blockedGate : errorBody);
    },
  );

  it('lists only what the caller may read', async () => {
    const id = await proposalIn('validated');
    const list = async (who: Who) => {
      const res = await request(server)
        .get(api('/proposals'))
        .set(headerOf[who]);
      return res;
    };
    for (const who of ['admin', 'operator', 'birds', 'service'] as Who[]) {
      const res = await list(who);
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toContain(id);
    }
    const orchard = await list('orchard');
    expect(orchard.status).toBe(200);
    expect(orchard.body.items).toEqual([]);
    expect((await list('anonymous')).status).toBe(401);
  });

  it.each<[Who, number]>([
    ['admin', 201],
    ['operator', 201],
    ['birds', 201],
    ['orchard', 403],
    ['service', 403],
    ['anonymous', 401],
  ])('POST /proposals for project-birds as %s -> %i', async (who, status) => {
    const res = await request(server)
      .post(api('/proposals'))
      .set(headerOf[who])
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Anything',
        change: { description: 'Anything' },
      });
    expect(res.status).toBe(status);
  });

  it.each<[Who, number]>([
    ['admin', 200],
    ['operator', 200],
    ['birds', 403],
    ['orchard', 403],
    ['service', 403],
    ['anonymous', 401],
  ])('claim, approve, reject and apply as %s -> %i', async (who, status) => {
    const claimable = await proposalIn('validated');
    const claim = await request(server)
      .post(api(`/proposals/${claimable}/claim`))
      .set(headerOf[who]);
    expect(claim.status).toBe(status);

    const approvable = await proposalIn('validated');
    if (status === 200) {
      await request(server)
        .post(api(`/proposals/${approvable}/claim`))
        .set(headerOf[who]);
    }
    const approve = await request(server)
      .post(api(`/proposals/${approvable}/approve`))
      .set(headerOf[who])
      .send({ comment: 'ok' });
    expect(approve.status).toBe(status);

    const rejectable = await proposalIn('in-review');
    const reject = await request(server)
      .post(api(`/proposals/${rejectable}/reject`))
      .set(headerOf[who])
      .send({ reason: 'no' });
    // Oscar holds the claim: another operator gets a conflict, not a permission error.
    expect(reject.status).toBe(status === 200 ? 409 : status);

    const applicable = await proposalIn('approved');
    const apply = await request(server)
      .post(api(`/proposals/${applicable}/apply`))
      .set(headerOf[who])
      .send({ reference: 'CHG-1' });
    // Past the permission check an apply without an evidence packet is bad input (400, naming
    // the field); everybody else is refused before the body is read.
    expect({
      status: apply.status,
      namesEvidence: /The apply request is invalid:.*evidence/s.test(
        apply.body?.error?.message ?? '',
      ),
    }).toEqual(
      status === 200
        ? { status: 400, namesEvidence: true }
        : { status, namesEvidence: false },
    );
  });

  it.each<[Who, number]>([
    ['admin', 200],
    ['operator', 200],
    ['birds', 200],
    ['orchard', 404],
    ['service', 403],
    ['anonymous', 401],
  ])('withdraw a birds proposal as %s -> %i', async (who, status) => {
    const id = await proposalIn('validated');
    const res = await request(server)
      .post(api(`/proposals/${id}/withdraw`))
      .set(headerOf[who])
      .send({ reason: 'not needed' });
    expect(res.status).toBe(status);
  });

  it.each<[Who, number]>([
    ['admin', 200],
    ['operator', 200],
    ['birds', 403],
    ['orchard', 403],
    ['service', 200],
    ['anonymous', 401],
  ])('GET /audit/verify as %s -> %i', async (who, status) => {
    const res = await request(server)
      .get(api('/audit/verify'))
      .set(headerOf[who]);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(status === 200 ? intactChain : errorBody);
  });

  it.each<[Who, number]>([
    ['admin', 410],
    ['operator', 410],
    ['birds', 410],
    ['anonymous', 401],
  ])(
    'GET /keys/me (moved to the signing-key registry) as %s -> %i',
    async (who, status) => {
      const res = await request(server).get(api('/keys/me')).set(headerOf[who]);
      expect(res.status).toBe(status);
    },
  );

  it('tells the reviewers about a new proposal and the requester about the decision', async () => {
    sent.length = 0;
    const id = await proposalIn('approved');
    expect(sent.map(n => [n.payload.topic, n.recipients])).toEqual([
      [
        'approvals-review',
        {
          type: 'entity',
          entityRef: [
            'group:default/platform-operators',
            'group:default/admins',
          ],
          excludeEntityRef: [BEA],
        },
      ],
      ['approvals-decision', { type: 'entity', entityRef: BEA }],
    ]);
    expect(sent[1].payload.link).toBe(`/approvals/proposals/${id}`);
  });
});
