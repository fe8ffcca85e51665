import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import approvalsPlugin from './index';

jest.setTimeout(60_000);

const tenant = 'user:default/tina';
const operator = 'user:default/olga';
const denied = new Set<string>();

async function start() {
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: denied.has(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any,
  });
  const { server } = await startTestBackend({
    features: [
      approvalsPlugin,
      permissions.factory,
      mockServices.rootConfig.factory({
        data: {
          approvals: {
            // Mock user info lists the user itself as its only ownership ref.
            operatorGroups: [operator],
            environments: { 'samakia-dev': { requiredApprovals: 1 } },
          },
        },
      }),
    ],
  });
  return server;
}

describe('approvals router', () => {
  afterEach(() => denied.clear());

  it('submits, claims, approves, gates and applies over HTTP', async () => {
    const server = await start();
    const as = (user: string) => ({
      Authorization: mockCredentials.user.header(user),
    });
    const submitted = await request(server)
      .post('/api/approvals/proposals')
      .set(as(tenant))
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: 'Rotate credentials',
        change: { description: 'Rotate the birds database password' },
      });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      state: 'validated',
      requester: tenant,
    });
    const id = submitted.body.id;

    const gate = await request(server)
      .get(`/api/approvals/proposals/${id}/gate`)
      .set(as(tenant));
    expect(gate.status).toBe(200);
    expect(gate.body).toMatchObject({ allowed: false });

    // A tenant never approves (403 from the rules, not the policy).
    const tenantApprove = await request(server)
      .post(`/api/approvals/proposals/${id}/approve`)
      .set(as('user:default/tom'))
      .send({});
    expect(tenantApprove.status).toBe(403);

    expect(
      (
        await request(server)
          .post(`/api/approvals/proposals/${id}/claim`)
          .set(as(operator))
      ).status,
    ).toBe(200);
    const approved = await request(server)
      .post(`/api/approvals/proposals/${id}/approve`)
      .set(as(operator))
      .send({ comment: 'fine' });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');

    // The permission decides before the rules do.
    denied.add('approvals.proposal.apply');
    const refused = await request(server)
      .post(`/api/approvals/proposals/${id}/apply`)
      .set(as(operator))
      .send({ reference: 'CHG-1' });
    expect(refused.status).toBe(403);
    denied.clear();

    const applied = await request(server)
      .post(`/api/approvals/proposals/${id}/apply`)
      .set(as(operator))
      .send({ reference: 'CHG-1' });
    expect(applied.status).toBe(200);
    expect(applied.body.state).toBe('applied');

    const again = await request(server)
      .post(`/api/approvals/proposals/${id}/apply`)
      .set(as(operator))
      .send({ reference: 'CHG-1' });
    expect(again.status).toBe(409);

    const verify = await request(server)
      .get('/api/approvals/audit/verify')
      .set(as(operator));
    expect(verify.body).toEqual({ ok: true, count: 5 });
  });

  it('answers 400 for bad input, 404 for unknown ids, 401 for bad credentials', async () => {
    const server = await start();
    const headers = { Authorization: mockCredentials.user.header(tenant) };
    const bad = await request(server)
      .post('/api/approvals/proposals')
      .set(headers)
      .send({ tenant: 'x', type: 'nonsense' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    const missing = await request(server)
      .get('/api/approvals/proposals/00000000-0000-4000-8000-000000000000')
      .set(headers);
    expect(missing.status).toBe(404);
    const invalid = await request(server)
      .get('/api/approvals/proposals')
      .set({ Authorization: mockCredentials.user.invalidHeader() });
    expect(invalid.status).toBe(401);
  });
});
