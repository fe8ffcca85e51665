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
import { OPENPGP_KEY_ANNOTATION } from '@internal/plugin-evidence-common';
import request from 'supertest';
import { GpgHome } from '@internal/fabric-test-utils';
import { acceptanceFiles, tarGz, writePacket } from './testUtils';
import evidencePlugin from './index';

// The HTTP layer: input handling, the streamed upload with its limits, safe downloads, key
// registration, and keys from catalog annotations. Who may call what is covered by the
// authorization matrix in packages/backend (real permission backend and policy).
jest.setTimeout(120_000);

const OLIVIA = 'user:default/olivia.operator';
const gpg = new GpgHome();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-plugin-'));
let server: http.Server;
let oscarKey: string;

beforeAll(async () => {
  oscarKey = gpg.generateKey('Oscar <oscar@example.com>');
  gpg.generateKey('Olivia <olivia@example.com>');
  const entities = loadRepoCatalog().map(e =>
    e.kind === 'User' && e.metadata.name === 'oscar.operator'
      ? {
          ...e,
          metadata: {
            ...e.metadata,
            annotations: { [OPENPGP_KEY_ANNOTATION]: oscarKey },
          },
        }
      : e,
  );
  const root = path.join(tmp, 'root');
  fs.mkdirSync(root);
  const backend = await startTestBackend({
    features: [
      evidencePlugin,
      catalogServiceMock.factory({ entities }),
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
});

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
    const body = packet('catalog-signed', 'oscar@example.com');
    const first = await upload(body, query);
    expect(first.status).toBe(201);
    expect(first.body.packet).toMatchObject({
      verdict: 'verified',
      signers: ['user:default/oscar.operator'],
      signatures: [expect.objectContaining({ keySource: 'catalog' })],
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
    expect(view.body.summary.text).toContain('# catalog-signed');

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

  it('lets a user register a signing key that then verifies their packets', async () => {
    const none = await request(server).get(api('/keys/me')).set(user);
    expect(none.status).toBe(404);
    const privateKey = await request(server)
      .put(api('/keys/me'))
      .set(user)
      .send({
        publicKey: gpg.gpg([
          '--armor',
          '--export-secret-keys',
          'olivia@example.com',
        ]),
      });
    expect(privateKey.status).toBe(400);
    const put = await request(server)
      .put(api('/keys/me'))
      .set(user)
      .send({
        publicKey: gpg.gpg(['--armor', '--export', 'olivia@example.com']),
      });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      userRef: OLIVIA,
      fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/),
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
    // The first upload was verified before Olivia registered her key: the key ring changed
    // since, so it is verified again; her own packet was verified with today's key ring.
    expect(res.body).toMatchObject({
      roots: 1,
      scanned: 2,
      updated: 1,
      unchanged: 1,
      errors: [],
    });
  });
});
