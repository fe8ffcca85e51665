import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GpgHome } from '@internal/fabric-test-utils';
import evidenceBackend from '@internal/plugin-evidence-backend';
import {
  acceptanceFiles,
  tarGz,
  writePacket,
} from '@internal/plugin-evidence-backend/testUtils';
import request from 'supertest';
import {
  Who,
  headerOf,
  startMatrixBackend,
} from '../__testUtils__/authorizationMatrix';

/**
 * Tenant isolation of the evidence API: every role against every endpoint, with the real
 * permission backend, the Fabric policy module and the evidence plugin on one test backend.
 * Users and groups come from the repository's catalog; only the identity layer is mocked.
 * The CI token is covered against the real composition in evidenceCi.test.ts.
 */
jest.setTimeout(120_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-authz-'));
const gpg = new GpgHome();
const root = path.join(tmp, 'root');
const packetDirs = {
  birds: path.join(root, 'evidence/tenants/project-birds/2026-01-02T17:07:50Z'),
  orchard: path.join(
    root,
    'evidence/tenants/project-orchard/2026-01-03T08:00:00Z',
  ),
  milestone: path.join(
    root,
    'evidence/milestones/phase1-12/2026-01-04T08:00:00Z',
  ),
};

describe('evidence API authorization matrix', () => {
  let server: Parameters<typeof request>[0];
  const ids: Record<keyof typeof packetDirs, string> = {
    birds: '',
    orchard: '',
    milestone: '',
  };

  beforeAll(async () => {
    for (const [name, dir] of Object.entries(packetDirs)) {
      writePacket(dir, acceptanceFiles(`${name} packet`));
    }
    server = await startMatrixBackend({
      plugin: evidenceBackend,
      tenantPermissions: ['evidence.packet.read'],
      config: {
        evidence: {
          roots: [{ name: 'ops', path: root }],
          dataDir: path.join(tmp, 'data'),
          rescan: { initialDelay: { hours: 1 } },
        },
      },
    });
    const rescan = await request(server)
      .post('/api/evidence/rescan')
      .set(headerOf.operator);
    if (rescan.body.added !== 3 || rescan.body.errors.length > 0) {
      throw new Error(
        `rescan of the test root failed: ${JSON.stringify(rescan.body)}`,
      );
    }
    const all = await request(server)
      .get('/api/evidence/packets')
      .set(headerOf.operator);
    for (const p of all.body.items) {
      if (p.key.startsWith('tenants/project-birds')) ids.birds = p.id;
      if (p.key.startsWith('tenants/project-orchard')) ids.orchard = p.id;
      if (p.key.startsWith('milestones/')) ids.milestone = p.id;
    }
  });

  afterAll(() => {
    gpg.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const api = (p: string) => `/api/evidence${p}`;

  it.each<[Who, string[]]>([
    ['admin', ['birds', 'milestone', 'orchard']],
    ['operator', ['birds', 'milestone', 'orchard']],
    ['service', ['birds', 'milestone', 'orchard']],
    ['birds', ['birds']],
    ['orchard', ['orchard']],
  ])(
    'GET /packets as %s lists only what it may read',
    async (who, expected) => {
      const res = await request(server).get(api('/packets')).set(headerOf[who]);
      expect(res.status).toBe(200);
      const names = res.body.items
        .map(
          (p: { id: string }) =>
            Object.entries(ids).find(([, id]) => id === p.id)?.[0],
        )
        .sort();
      expect(names).toEqual(expected);
      expect(res.body.total).toBe(expected.length);
    },
  );

  it('GET /packets without credentials -> 401', async () => {
    const res = await request(server).get(api('/packets'));
    expect(res.status).toBe(401);
  });

  it.each<[Who, number, number, number]>([
    // who, birds packet, orchard packet, milestone packet (no tenant)
    ['admin', 200, 200, 200],
    ['operator', 200, 200, 200],
    ['service', 200, 200, 200],
    // Another tenant's packet, or one of no tenant, is not found for a tenant member.
    ['birds', 200, 404, 404],
    ['orchard', 404, 200, 404],
    ['anonymous', 401, 401, 401],
  ])(
    'GET one packet, its preview and download as %s -> birds %i, orchard %i, milestone %i',
    async (who, birds, orchard, milestone) => {
      for (const [name, status] of [
        ['birds', birds],
        ['orchard', orchard],
        ['milestone', milestone],
      ] as const) {
        const id = ids[name];
        for (const p of [
          `/packets/${id}`,
          `/packets/${id}/preview?path=summary.md`,
          `/packets/${id}/download?path=summary.md`,
        ]) {
          const res = await request(server).get(api(p)).set(headerOf[who]);
          expect([p, res.status]).toEqual([p, status]);
        }
      }
    },
  );

  it.each<[Who, 'orchard' | 'milestone']>([
    ['birds', 'orchard'],
    ['birds', 'milestone'],
    ['orchard', 'milestone'],
  ])(
    'answers %s on the %s packet exactly like a packet that does not exist',
    async (who, name) => {
      const id = ids[name];
      const missing = randomUUID();
      // The error body without `request`, which echoes the caller's own URL.
      const answerOf = (res: { status: number; body: any }) => {
        const { request: _request, ...body } = res.body;
        return { status: res.status, body };
      };
      for (const p of [
        `/packets/${id}`,
        `/packets/${id}/preview?path=summary.md`,
        `/packets/${id}/download?path=summary.md`,
      ]) {
        const owned = answerOf(
          await request(server).get(api(p)).set(headerOf[who]),
        );
        const none = answerOf(
          await request(server)
            .get(api(p.replace(id, missing)))
            .set(headerOf[who]),
        );
        expect(
          JSON.parse(JSON.stringify(owned).replaceAll(id, missing)),
        ).toEqual(none);
        expect(owned).toEqual({
          status: 404,
          body: {
            error: {
              name: 'NotFoundError',
              message: `No evidence packet with id ${id}`,
            },
            response: { statusCode: 404 },
          },
        });
      }
    },
  );

  it('does not leak another tenant through the entity or tenant filters, or the facets', async () => {
    for (const query of [
      { entity: 'tenant:default/project-orchard' },
      { tenant: 'project-orchard' },
      { area: 'milestones' },
    ]) {
      const res = await request(server)
        .get(api('/packets'))
        .query(query)
        .set(headerOf.birds);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    const facets = await request(server)
      .get(api('/facets'))
      .set(headerOf.birds);
    expect(facets.body).toEqual({ areas: ['tenants'] });
  });

  it.each<[Who, number]>([
    ['admin', 201],
    ['operator', 201],
    ['birds', 403],
    ['orchard', 403],
    ['anonymous', 401],
  ])('POST /packets (upload) as %s -> %i', async (who, status) => {
    const dir = writePacket(
      path.join(tmp, `upload-${who}`),
      acceptanceFiles(who),
    );
    const body = fs.readFileSync(
      tarGz(dir, path.join(tmp, `upload-${who}.tgz`)),
    );
    const res = await request(server)
      .post(
        api(
          `/packets?area=tenants&subject=project-birds&timestamp=2026-06-0${
            Object.keys(headerOf).indexOf(who) + 1
          }T10:00:00Z`,
        ),
      )
      .set({ ...headerOf[who], 'Content-Type': 'application/gzip' })
      .send(body);
    expect(res.status).toBe(status);
  });

  it.each<[Who, number]>([
    ['admin', 200],
    ['operator', 200],
    ['birds', 403],
    ['orchard', 403],
    ['anonymous', 401],
  ])('POST /rescan as %s -> %i', async (who, status) => {
    const rescan = await request(server)
      .post(api('/rescan'))
      .set(headerOf[who]);
    expect(rescan.status).toBe(status);
  });

  it.each<[Who, number]>([
    ['admin', 410],
    ['operator', 410],
    ['birds', 410],
    ['anonymous', 401],
  ])(
    'PUT /keys/me (moved to the signing-key registry) as %s -> %i',
    async (who, status) => {
      const key = await request(server)
        .put(api('/keys/me'))
        .set(headerOf[who])
        .send({ publicKey: gpg.generateKey(`${who} <${who}@example.com>`) });
      expect(key.status).toBe(status);
    },
  );
});
