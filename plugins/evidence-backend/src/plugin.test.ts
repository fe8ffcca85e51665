import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import signingKeysPlugin, {
  signingKeysServiceFactory,
} from '@internal/plugin-signing-keys-backend';
import request from 'supertest';
import { GpgHome } from '@internal/fabric-test-utils';
import { acceptanceFiles, tarGz, writePacket } from './__testUtils__';
import evidencePlugin from './index';

// The HTTP layer: input handling, the streamed upload with its limits, safe downloads, and
// the key ring from the signing-key registry (keys registered with a signed challenge). Who may call what is covered by the
// authorization matrix in packages/backend (real permission backend and policy).
jest.setTimeout(120_000);

const OLIVIA = 'user:default/olivia.operator';
const OSCAR = 'user:default/oscar.operator';
const gpg = new GpgHome();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-plugin-'));
let server: http.Server;
let oscarKey: string;

beforeAll(async () => {
  oscarKey = gpg.generateKey('Oscar <oscar@example.com>');
  gpg.generateKey('Olivia <olivia@example.com>');
  const root = path.join(tmp, 'root');
  fs.mkdirSync(root);
  const backend = await startTestBackend({
    features: [
      evidencePlugin,
      signingKeysPlugin,
      signingKeysServiceFactory,
      catalogServiceMock.factory({ entities: loadRepoCatalog() }),
      mockServices.rootConfig.factory({
        data: {
          evidence: {
            roots: [{ name: 'ops', path: root }],
            dataDir: path.join(tmp, 'data'),
            upload: { maxBytes: 64 * 1024 },
            rescan: { initialDelay: { hours: 1 } },
          },
        },
      }),
    ],
  });
  server = backend.server;
  const registered = await registerKey(OSCAR, oscarKey, 'oscar@example.com');
  if (registered.status !== 200) {
    throw new Error(
      `registering oscar's key failed: ${JSON.stringify(registered.body)}`,
    );
  }
});

/** Registers `publicKey` for `userRef` through the registry: challenge, gpg signature, PUT. */
async function registerKey(userRef: string, publicKey: string, signer: string) {
  const as = { Authorization: mockCredentials.user.header(userRef) };
  const challenge = await request(server)
    .post('/api/signing-keys/challenges')
    .set(as)
    .send({});
  return request(server)
    .put('/api/signing-keys/keys/me')
    .set(as)
    .send({
      publicKey,
      challengeId: challenge.body.id,
      signature: gpg.sign(signer, challenge.body.text),
    });
}

afterAll(() => {
  gpg.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const user = { Authorization: mockCredentials.user.header(OLIVIA) };
const api = (p: string) => `/api/evidence${p}`;

function packet(name: string, signer?: string): Buffer {
  const dir = writePacket(path.join(tmp, 'build', name), acceptanceFiles(name));
  if (signer) {
    gpg.detachSign(
      path.join(dir, 'manifest.sha256'),
      path.join(dir, 'manifest.sha256.asc'),
      signer,
    );
  }
  return fs.readFileSync(tarGz(dir, path.join(tmp, 'build', `${name}.tgz`)));
}

function upload(body: Buffer, query: string, type = 'application/gzip') {
  return request(server)
    .post(api(`/packets?${query}`))
    .set({ ...user, 'Content-Type': type })
    .send(body);
}

describe('the evidence API', () => {
  it('names the bad field of an upload and the expected content type', async () => {
    const bad = await upload(
      packet('bad-query'),
      'area=..&timestamp=yesterday',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/area/);
    expect(bad.body.error.message).toMatch(/timestamp/);
    const json = await upload(
      Buffer.from('{}'),
      'area=tenants&timestamp=2026-01-02T17:07:50Z',
      'application/json',
    );
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(
      /Content-Type must be application\/gzip/,
    );
  });

  it('stores an upload (201), accepts the same again (200) and refuses other content (409)', async () => {
    const query =
      'area=tenants&subject=project-birds&timestamp=2026-05-01T10:00:00Z';
    const body = packet('oscar-signed', 'oscar@example.com');
    const first = await upload(body, query);
    expect(first.status).toBe(201);
    expect(first.body.packet).toMatchObject({
      verdict: 'verified',
      signers: ['user:default/oscar.operator'],
      signatures: [expect.objectContaining({ keySource: 'registered' })],
    });
    const again = await upload(body, query);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      created: false,
      packet: { id: first.body.packet.id },
    });
    const other = await upload(packet('other'), query);
    expect(other.status).toBe(409);

    const list = await request(server)
      .get(api('/packets?tenant=project-birds'))
      .set(user);
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([
      first.body.packet.id,
    ]);
    const view = await request(server)
      .get(api(`/packets/${first.body.packet.id}`))
      .set(user);
    expect(view.body.summary.text).toContain('# oscar-signed');

    const download = await request(server)
      .get(api(`/packets/${first.body.packet.id}/download`))
      .query({ path: 'steps/02-verify/stdout.log' })
      .set(user)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'content-disposition': expect.stringMatching(
        /^attachment; filename="stdout.log"/,
      ),
    });
    expect(download.body.toString()).toContain('rabbitmq reachable');
    const traversal = await request(server)
      .get(api(`/packets/${first.body.packet.id}/preview`))
      .query({ path: '../../../../etc/passwd' })
      .set(user);
    expect(traversal.status).toBe(400);
  });

  it('answers 413 from Content-Length before reading, and mid-stream without it', async () => {
    const tooBig = Buffer.alloc(128 * 1024, 7);
    const declared = await upload(
      tooBig,
      'area=drift&timestamp=2026-05-02T10:00:00Z',
    );
    expect(declared.status).toBe(413);
    expect(declared.body.error.message).toMatch(/evidence.upload.maxBytes/);

    // Chunked: no Content-Length, so the limit trips while streaming.
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = http.request(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: api('/packets?area=drift&timestamp=2026-05-03T10:00:00Z'),
            headers: {
              ...user,
              'Content-Type': 'application/gzip',
              'Transfer-Encoding': 'chunked',
            },
          },
          res => {
            let body = '';
            res.on('data', c => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const gz = packet('stream-me');
        let sent = 0;
        const pump = () => {
          while (sent < 256 * 1024) {
            sent += gz.length;
            if (!req.write(gz)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      },
    );
    expect(status.status).toBe(413);
    expect(status.body).toMatch(/evidence.upload.maxBytes/);
  });

  it('verifies packets with a key once its owner registered it, naming the owner as signer', async () => {
    const oliviaKey = gpg.gpg(['--armor', '--export', 'olivia@example.com']);
    const old = await request(server)
      .put(api('/keys/me'))
      .set(user)
      .send({ publicKey: oliviaKey });
    expect(old.status).toBe(410);
    expect(old.body.error.message).toMatch(/\/api\/signing-keys/);
    // Oscar cannot make Olivia's key his: he cannot sign his challenge with it.
    const transplant = await registerKey(OSCAR, oliviaKey, 'oscar@example.com');
    expect(transplant.status).toBe(400);
    const before = await upload(
      packet('olivia-early', 'olivia@example.com'),
      'area=images&subject=vm&timestamp=2026-05-04T09:00:00Z',
    );
    expect(before.body.packet).toMatchObject({
      verdict: 'unsigned',
      signers: [],
    });
    const put = await registerKey(OLIVIA, oliviaKey, 'olivia@example.com');
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      userRef: OLIVIA,
      status: 'active',
      fingerprint: gpg.fingerprint('olivia@example.com'),
    });
    const res = await upload(
      packet('olivia-signed', 'olivia@example.com'),
      'area=images&subject=vm&timestamp=2026-05-04T10:00:00Z',
    );
    expect(res.status).toBe(201);
    expect(res.body.packet).toMatchObject({
      verdict: 'verified',
      signers: [OLIVIA],
      signatures: [expect.objectContaining({ keySource: 'registered' })],
    });
  });

  it('rescans on demand, re-verifying what a key change may affect', async () => {
    const res = await request(server).post(api('/rescan')).set(user);
    expect(res.status).toBe(200);
    // The first two uploads were verified before Olivia registered her key: the key ring
    // changed since, so they are verified again; her own packet was verified with today's.
    expect(res.body).toMatchObject({
      roots: 1,
      scanned: 3,
      updated: 2,
      unchanged: 1,
      errors: [],
    });
    const early = await request(server)
      .get(api('/packets?area=images'))
      .set(user);
    expect(
      early.body.items.map((p: { verdict: string }) => p.verdict).sort(),
    ).toEqual(['verified', 'verified']);
  });

  it('stops trusting a revoked key: its packets are no longer verified after a rescan', async () => {
    const revoke = await request(server)
      .delete('/api/signing-keys/keys/me')
      .set(user)
      .send({ reason: 'laptop lost' });
    expect(revoke.status).toBe(200);
    expect(revoke.body.items[0]).toMatchObject({
      status: 'revoked',
      revokeReason: 'laptop lost',
    });
    const res = await request(server).post(api('/rescan')).set(user);
    expect(res.status).toBe(200);
    const images = await request(server)
      .get(api('/packets?area=images'))
      .set(user);
    expect(
      images.body.items.map((p: { verdict: string }) => p.verdict),
    ).toEqual(['unsigned', 'unsigned']);
  });
});
