import { mockCredentials } from '@backstage/backend-test-utils';
import { GpgHome } from '@internal/fabric-test-utils';
import approvalsBackend from '@internal/plugin-approvals-backend';
import request from 'supertest';
import {
  ADMIN,
  OLIVIA,
  OSCAR,
  headerOf,
  recordingNotifications,
  startMatrixBackend,
} from '../__testUtils__/authorizationMatrix';

/**
 * The key-transplant attack of issue 17 end to end, with the real permission backend and
 * Fabric policy: oscar cannot register olivia's public key as his, cannot replay her signature
 * as his approval, and a production proposal opens the gate only after two people signed with
 * keys of their own. Also who may act on whose key.
 */
jest.setTimeout(120_000);

const OLIVIA_UID = 'Olivia <olivia.operator@example.com>';
const OSCAR_UID = 'Oscar <oscar.operator@example.com>';
const gpg = new GpgHome();
let oliviaKey: string;
let oscarKey: string;
let server: Parameters<typeof request>[0];

const as = (userRef: string) => ({
  Authorization: mockCredentials.user.header(userRef),
});

beforeAll(async () => {
  oliviaKey = gpg.generateKey(OLIVIA_UID);
  oscarKey = gpg.generateKey(OSCAR_UID);
  server = await startMatrixBackend({
    plugin: approvalsBackend,
    tenantPermissions: ['approvals.proposal.read', 'approvals.proposal.create'],
    features: [recordingNotifications([])],
    // Production as shipped: signed approvals inside an allow window (this one is always open),
    // so the gate's answer depends on the signatures alone.
    config: {
      approvals: {
        environments: {
          'samakia-prod': {
            production: true,
            requiredApprovals: 2,
            requireSignature: true,
            changeWindows: [
              {
                name: 'any-time',
                kind: 'allow',
                cron: '* * * * *',
                duration: { minutes: 1 },
                timeZone: 'UTC',
              },
            ],
          },
        },
      },
    },
  });
});
afterAll(() => gpg.dispose());

async function challengeFor(userRef: string) {
  const res = await request(server)
    .post('/api/signing-keys/challenges')
    .set(as(userRef))
    .send({});
  expect(res.status).toBe(201);
  return res.body as { id: string; text: string };
}

function putKey(userRef: string, body: object) {
  return request(server)
    .put('/api/signing-keys/keys/me')
    .set(as(userRef))
    .send(body);
}

describe('the signing-key registry against the key transplant', () => {
  it('refuses the transplant at registration and at approval; two own keys open the gate', async () => {
    const hers = await challengeFor(OLIVIA);
    expect(
      (
        await putKey(OLIVIA, {
          publicKey: oliviaKey,
          challengeId: hers.id,
          signature: gpg.sign(OLIVIA_UID, hers.text),
        })
      ).status,
    ).toBe(200);

    // Oscar claims her public key: he can only sign his challenge with his own key.
    const his = await challengeFor(OSCAR);
    const transplant = await putKey(OSCAR, {
      publicKey: oliviaKey,
      challengeId: his.id,
      signature: gpg.sign(OSCAR_UID, his.text),
    });
    expect(transplant.status).toBe(400);
    expect(transplant.body.error.message).toMatch(
      /not by the key being registered/,
    );
    // Her answered challenge is no use to him either.
    const replayedChallenge = await putKey(OSCAR, {
      publicKey: oliviaKey,
      challengeId: hers.id,
      signature: gpg.sign(OLIVIA_UID, hers.text),
    });
    expect([403, 409]).toContain(replayedChallenge.status);
    const mine = await request(server)
      .get('/api/signing-keys/keys/me')
      .set(as(OSCAR));
    expect(mine.body.items).toEqual([]);

    const submitted = await request(server)
      .post('/api/approvals/proposals')
      .set(headerOf.birds)
      .send({
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-prod',
        title: 'Rotate the birds production password',
        change: { description: 'Rotate credentials' },
      });
    expect(submitted.status).toBe(201);
    const { id, digest } = submitted.body;
    const act = (userRef: string, action: string, body: object = {}) =>
      request(server)
        .post(`/api/approvals/proposals/${id}/${action}`)
        .set(as(userRef))
        .send(body);

    const herSignature = gpg.sign(OLIVIA_UID, digest);
    expect((await act(OLIVIA, 'claim')).status).toBe(200);
    expect(
      (await act(OLIVIA, 'approve', { signature: herSignature })).status,
    ).toBe(200);
    expect((await act(OSCAR, 'claim')).status).toBe(200);
    const replay = await act(OSCAR, 'approve', { signature: herSignature });
    expect(replay.status).toBe(403);
    const gate = await request(server)
      .get(`/api/approvals/proposals/${id}/gate`)
      .set(as(OSCAR));
    expect(gate.body).toMatchObject({ allowed: false });

    const own = await challengeFor(OSCAR);
    expect(
      (
        await putKey(OSCAR, {
          publicKey: oscarKey,
          challengeId: own.id,
          signature: gpg.sign(OSCAR_UID, own.text),
        })
      ).status,
    ).toBe(200);
    const approved = await act(OSCAR, 'approve', {
      signature: gpg.sign(OSCAR_UID, digest),
    });
    expect(approved.status).toBe(200);
    const open = await request(server)
      .get(`/api/approvals/proposals/${id}/gate`)
      .set(as(OSCAR));
    expect(open.body).toMatchObject({ allowed: true });
  });

  it("lets only administrators revoke another user's key, and audits who did", async () => {
    const path = `/api/signing-keys/users/${encodeURIComponent(OSCAR)}/keys`;
    expect(
      (await request(server).delete(path).set(as(OLIVIA)).send({})).status,
    ).toBe(403);
    const revoked = await request(server)
      .delete(path)
      .set(as(ADMIN))
      .send({ reason: 'left the team' });
    expect(revoked.status).toBe(200);
    expect(
      revoked.body.items.every(
        (k: { status: string }) => k.status === 'revoked',
      ),
    ).toBe(true);
    const audit = await request(server)
      .get(`/api/signing-keys/audit?user=${encodeURIComponent(OSCAR)}`)
      .set(as(ADMIN));
    expect(audit.body.items[0]).toMatchObject({
      action: 'revoked',
      actor: ADMIN,
    });
    expect(
      (
        await request(server)
          .post('/api/signing-keys/challenges')
          .set(headerOf.birds)
          .send({})
      ).status,
    ).toBe(403);
  });
});
