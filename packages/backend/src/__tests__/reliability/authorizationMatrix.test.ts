import zlib from 'node:zlib';
import { BackendProcess, startBackendProcess } from './support/backendProcess';
import {
  Seed,
  birdsDriftRun,
  birdsProposal,
  seed,
  storeSnapshot,
} from './support/fixtures';
import { call } from '../support/apiCall';
import { Identities, WHO, Who, identities } from './support/identities';
import { pgDatabasePrefix } from './support/postgres';
import { tarArchive } from './support/tar';
import { GpgHome } from '@internal/fabric-test-utils';
import {
  registerKey,
  uploadVerifiedPacket,
} from '../../__testUtils__/operatorKeys';

const OPERATOR_UID = 'Olivia <olivia.operator@samakia.example>';
const gpg = new GpgHome();
let applyPacket = '';

// The authorization matrix of every Fabric endpoint (approvals, evidence, drift, and the catalog
// endpoints the Fabric policy decides) on the real backend, running as its own process on
// PostgreSQL, with users signed in over the real OIDC flow, the static CI token and no token.
// One row per endpoint with the expected status per caller. Tenant B never sees tenant A's data,
// and a refused write changes nothing.

jest.setTimeout(240_000);

type Expected = Record<Who, number>;

/** What a row sends; `fixture` is made fresh for each caller when the row writes. */
interface Row {
  endpoint: string;
  expected: Expected;
  fixture?: (h: Harness, who: Who) => Promise<string>;
  request: (
    s: Seed,
    fixture: string,
  ) => {
    method: string;
    path: string;
    json?: unknown;
    body?: Buffer;
    headers?: Record<string, string>;
  };
  /** After a refused call: what must be unchanged (compared before and after). */
  unchanged?: (h: Harness, fixture: string) => Promise<unknown>;
}

interface Harness {
  baseUrl: string;
  who: Identities;
  seed: Seed;
}

const all = (status: number, overrides: Partial<Expected> = {}): Expected => ({
  operator: status,
  approver: status,
  tenantA: status,
  tenantB: status,
  ci: status,
  anonymous: 401,
  ...overrides,
});

let counter = 0;
async function proposalIn(
  h: Harness,
  state: 'validated' | 'in-review' | 'approved',
): Promise<string> {
  counter += 1;
  const submitted = await call(
    h.baseUrl,
    h.who.tenantA,
    'POST',
    '/api/approvals/proposals',
    { json: birdsProposal(`Matrix proposal ${counter}`) },
  );
  expect(submitted.status).toBe(201);
  const id = submitted.body.id as string;
  if (state !== 'validated') {
    const claim = await call(
      h.baseUrl,
      h.who.operator,
      'POST',
      `/api/approvals/proposals/${id}/claim`,
    );
    expect(claim.status).toBe(200);
  }
  if (state === 'approved') {
    const approve = await call(
      h.baseUrl,
      h.who.operator,
      'POST',
      `/api/approvals/proposals/${id}/approve`,
      { json: {} },
    );
    expect(approve.body.proposal.state).toBe('approved');
  }
  return id;
}

/** The proposal as the operator sees it: state, version, decisions and audit trail. */
async function proposalState(h: Harness, id: string) {
  const view = await call(
    h.baseUrl,
    h.who.operator,
    'GET',
    `/api/approvals/proposals/${id}`,
  );
  const audit = await call(
    h.baseUrl,
    h.who.operator,
    'GET',
    `/api/approvals/proposals/${id}/audit`,
  );
  return {
    state: view.body.proposal?.state ?? view.body.state,
    version: view.body.proposal?.version ?? view.body.version,
    decisions: view.body.decisions?.length,
    audit: audit.body.items.length,
  };
}

const approvals = (p: string) => `/api/approvals${p}`;
const evidence = (p: string) => `/api/evidence${p}`;
const drift = (p: string) => `/api/drift${p}`;
const signingKeys = (p: string) => `/api/signing-keys${p}`;
const catalog = (p: string) => `/api/catalog${p}`;

const rows: Row[] = [
  // ---------------------------------------------------------------------------------- approvals
  {
    endpoint: 'GET /api/approvals/proposals (list, filtered to the caller)',
    expected: all(200),
    request: () => ({ method: 'GET', path: approvals('/proposals') }),
  },
  // Another tenant's object asked for by id is 404, as for an id nobody used
  // (docs/permissions.md); steps whose answer does not depend on the id stay 403.
  {
    endpoint: 'GET /api/approvals/proposals/:id',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: approvals(`/proposals/${s.proposalId}`),
    }),
  },
  {
    endpoint: 'GET /api/approvals/proposals/:id/audit',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: approvals(`/proposals/${s.proposalId}/audit`),
    }),
  },
  {
    endpoint: 'GET /api/approvals/proposals/:id/gate',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: approvals(`/proposals/${s.proposalId}/gate`),
    }),
  },
  {
    endpoint: 'GET /api/approvals/gate?tenant=&changeRef=',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: approvals(
        `/gate?tenant=project-birds&changeRef=${encodeURIComponent(
          s.changeRef,
        )}`,
      ),
    }),
  },
  {
    endpoint: 'POST /api/approvals/proposals (for tenant A)',
    expected: all(201, { tenantB: 403, ci: 403 }),
    request: () => ({
      method: 'POST',
      path: approvals('/proposals'),
      json: birdsProposal('Matrix submission'),
    }),
  },
  {
    endpoint: 'POST /api/approvals/proposals/:id/claim',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    fixture: h => proposalIn(h, 'validated'),
    request: (_s, id) => ({
      method: 'POST',
      path: approvals(`/proposals/${id}/claim`),
    }),
    unchanged: proposalState,
  },
  {
    endpoint: 'POST /api/approvals/proposals/:id/approve',
    // The operator holds the claim; the approver is the second person.
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    fixture: async (h, who) => {
      const id = await proposalIn(h, 'validated');
      // A reviewer approves what they claimed; everyone else meets the operator's claim.
      const claimant = who === 'approver' ? h.who.approver : h.who.operator;
      const claim = await call(
        h.baseUrl,
        claimant,
        'POST',
        `/api/approvals/proposals/${id}/claim`,
      );
      expect(claim.status).toBe(200);
      return id;
    },
    request: (_s, id) => ({
      method: 'POST',
      path: approvals(`/proposals/${id}/approve`),
      json: { comment: 'matrix' },
    }),
    unchanged: proposalState,
  },
  {
    endpoint: 'POST /api/approvals/proposals/:id/reject',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    fixture: h => proposalIn(h, 'validated'),
    request: (_s, id) => ({
      method: 'POST',
      path: approvals(`/proposals/${id}/reject`),
      json: { reason: 'matrix' },
    }),
    unchanged: proposalState,
  },
  {
    endpoint: 'POST /api/approvals/proposals/:id/apply',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    fixture: h => proposalIn(h, 'approved'),
    request: (_s, id) => ({
      method: 'POST',
      path: approvals(`/proposals/${id}/apply`),
      json: { reference: 'CHG-1', evidence: applyPacket },
    }),
    unchanged: proposalState,
  },
  {
    endpoint: 'POST /api/approvals/proposals/:id/withdraw',
    expected: all(200, { tenantB: 404, ci: 403 }),
    fixture: h => proposalIn(h, 'validated'),
    request: (_s, id) => ({
      method: 'POST',
      path: approvals(`/proposals/${id}/withdraw`),
      json: { reason: 'matrix' },
    }),
    unchanged: proposalState,
  },
  {
    endpoint: 'GET /api/approvals/audit/verify',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({ method: 'GET', path: approvals('/audit/verify') }),
  },
  {
    endpoint:
      'PUT /api/approvals/keys/me (moved: 410 pointing at the registry)',
    expected: all(410),
    request: () => ({ method: 'PUT', path: approvals('/keys/me'), json: {} }),
  },
  // ----------------------------------------------------------------------------------- evidence
  {
    endpoint: 'GET /api/evidence/packets (list, filtered to the caller)',
    expected: all(200),
    request: () => ({ method: 'GET', path: evidence('/packets') }),
  },
  {
    endpoint: 'GET /api/evidence/facets',
    expected: all(200),
    request: () => ({ method: 'GET', path: evidence('/facets') }),
  },
  {
    endpoint: 'GET /api/evidence/packets/:id',
    expected: all(200, { tenantB: 404 }),
    request: s => ({ method: 'GET', path: evidence(`/packets/${s.packetId}`) }),
  },
  {
    endpoint: 'GET /api/evidence/packets/:id/preview',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: evidence(
        `/packets/${s.packetId}/preview?path=${encodeURIComponent(
          s.packetFile,
        )}`,
      ),
    }),
  },
  {
    endpoint: 'GET /api/evidence/packets/:id/download',
    expected: all(200, { tenantB: 404 }),
    request: s => ({
      method: 'GET',
      path: evidence(
        `/packets/${s.packetId}/download?path=${encodeURIComponent(
          s.packetFile,
        )}`,
      ),
    }),
  },
  {
    endpoint:
      'POST /api/evidence/packets (an empty archive: permitted callers get 400)',
    expected: all(400, { tenantA: 403, tenantB: 403 }),
    request: () => ({
      method: 'POST',
      path: evidence(
        '/packets?area=tenants&subject=project-birds&timestamp=2026-05-06T07:08:09Z',
      ),
      body: zlib.gzipSync(tarArchive([])),
      headers: { 'Content-Type': 'application/gzip' },
    }),
  },
  {
    endpoint: 'POST /api/evidence/rescan',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({ method: 'POST', path: evidence('/rescan') }),
  },
  {
    endpoint: 'PUT /api/evidence/keys/me (moved: 410 pointing at the registry)',
    expected: all(410),
    request: () => ({ method: 'PUT', path: evidence('/keys/me'), json: {} }),
  },
  // ------------------------------------------------------------------------------- signing-keys
  {
    endpoint: 'GET /api/signing-keys/keys/me',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({ method: 'GET', path: signingKeys('/keys/me') }),
  },
  {
    endpoint: 'POST /api/signing-keys/challenges',
    expected: all(201, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({
      method: 'POST',
      path: signingKeys('/challenges'),
      json: {},
    }),
  },
  {
    endpoint:
      'PUT /api/signing-keys/keys/me (no key in the body: permitted callers get 400)',
    expected: all(400, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({ method: 'PUT', path: signingKeys('/keys/me'), json: {} }),
  },
  {
    endpoint:
      "DELETE /api/signing-keys/users/:ref/keys (another user's key: admins only)",
    expected: all(403),
    request: () => ({
      method: 'DELETE',
      path: signingKeys(
        `/users/${encodeURIComponent('user:default/oscar.operator')}/keys`,
      ),
      json: {},
    }),
  },
  {
    endpoint:
      "GET /api/signing-keys/audit?user= (another user's trail: admins only)",
    // oscar.operator is the approver: his own trail is his to read.
    expected: all(403, { approver: 200 }),
    request: () => ({
      method: 'GET',
      path: signingKeys(
        `/audit?user=${encodeURIComponent('user:default/oscar.operator')}`,
      ),
    }),
  },
  // -------------------------------------------------------------------------------------- drift
  {
    endpoint: 'POST /api/drift/runs (for tenant A)',
    expected: all(201, { tenantA: 403, tenantB: 403 }),
    request: () => ({
      method: 'POST',
      path: drift('/runs'),
      json: birdsDriftRun(`birds-dev/matrix-${Date.now()}`),
    }),
  },
  {
    endpoint:
      'POST /api/drift/runs/terraform (not JSON: permitted callers get 400)',
    expected: all(400, { tenantA: 403, tenantB: 403 }),
    request: () => ({
      method: 'POST',
      path: drift(
        '/runs/terraform?environment=samakia-dev&tenant=project-birds',
      ),
      body: Buffer.from('plan'),
      headers: { 'Content-Type': 'text/plain' },
    }),
  },
  {
    endpoint: 'GET /api/drift/current?tenant=project-birds',
    expected: all(200),
    request: () => ({
      method: 'GET',
      path: drift('/current?tenant=project-birds'),
    }),
  },
  {
    endpoint: 'GET /api/drift/history?tenant=project-birds',
    expected: all(200),
    request: () => ({
      method: 'GET',
      path: drift('/history?tenant=project-birds'),
    }),
  },
  {
    endpoint: 'GET /api/drift/overview',
    expected: all(200),
    request: () => ({ method: 'GET', path: drift('/overview') }),
  },
  {
    endpoint: 'GET /api/drift/runs/:id',
    expected: all(200, { tenantB: 404 }),
    request: s => ({ method: 'GET', path: drift(`/runs/${s.driftRunId}`) }),
  },
  // ------------------------------------------------------------------------------------ catalog
  {
    endpoint: 'GET /api/catalog/entities/by-name/tenant/default/project-birds',
    expected: all(200, { tenantB: 404 }),
    request: () => ({
      method: 'GET',
      path: catalog('/entities/by-name/tenant/default/project-birds'),
    }),
  },
  {
    endpoint: 'GET /api/catalog/entities/by-query?filter=kind=tenant',
    expected: all(200),
    request: () => ({
      method: 'GET',
      path: catalog('/entities/by-query?filter=kind=tenant&limit=100'),
    }),
  },
  {
    endpoint: 'POST /api/catalog/refresh (plane:default/dns)',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({
      method: 'POST',
      path: catalog('/refresh'),
      json: { entityRef: 'plane:default/dns' },
    }),
  },
  {
    // Blocked ZAKON rules and other entities that failed processing: operators only.
    endpoint: 'GET /api/catalog/entities/unprocessed/failed',
    expected: all(200, { tenantA: 403, tenantB: 403, ci: 403 }),
    request: () => ({
      method: 'GET',
      path: catalog('/entities/unprocessed/failed'),
    }),
  },
];

describe('authorization matrix on the real backend (PostgreSQL, own process)', () => {
  const db = pgDatabasePrefix('authz');
  let backend: BackendProcess;
  const h = {} as Harness;
  let markers: string[] = [];
  const results: Array<[string, Who, number]> = [];

  beforeAll(async () => {
    backend = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'authz',
    });
    h.baseUrl = backend.baseUrl;
    h.who = await identities(backend.baseUrl);
    h.seed = await seed(backend.baseUrl, h.who);
    // Every apply names a verified packet of the tenant (the committed sample is unsigned): the
    // operator registers a key made by the real gpg, CI uploads a packet signed with it.
    await registerKey(h.baseUrl, gpg, h.who.operator!, OPERATOR_UID);
    applyPacket = await uploadVerifiedPacket({
      baseUrl: h.baseUrl,
      gpg,
      signer: OPERATOR_UID,
      subject: 'project-birds',
      workDir: gpg.dir,
    });
    // Tenant A's data that must never reach tenant B.
    markers = [
      h.seed.proposalId,
      h.seed.packetId,
      h.seed.driftRunId,
      h.seed.changeRef,
      'project-birds',
      'team-birds',
      'birds-dev/max_connections',
    ];
  });

  afterAll(async () => {
    gpg.dispose();
    await backend?.stop();
    await db.drop();
  });

  it.each(rows.map(r => [r.endpoint, r] as const))('%s', async (_name, row) => {
    const seen: Partial<Expected> = {};
    for (const who of WHO) {
      const fixture = row.fixture ? await row.fixture(h, who) : '';
      const req = row.request(h.seed, fixture);
      const before =
        row.unchanged && row.expected[who] >= 400
          ? await row.unchanged(h, fixture)
          : undefined;
      const res = await call(h.baseUrl, h.who[who], req.method, req.path, {
        json: req.json,
        body: req.body,
        headers: req.headers,
      });
      seen[who] = res.status;
      results.push([row.endpoint, who, res.status]);
      // Nothing of tenant A reaches tenant B or nobody, unless the caller sent it.
      const sent = `${req.path} ${JSON.stringify(req.json ?? '')}`;
      const leaked =
        who === 'tenantB' || who === 'anonymous'
          ? markers.filter(m => !sent.includes(m) && res.text.includes(m))
          : [];
      expect({ who, leaked }).toEqual({ who, leaked: [] });
      const after =
        before === undefined ? undefined : await row.unchanged!(h, fixture);
      expect({ who, after }).toEqual({ who, after: before });
    }
    expect(seen).toEqual(row.expected);
  });

  it('lists only tenant A data to tenant A and none to tenant B', async () => {
    const list = async (who: Who, path: string) =>
      (await call(h.baseUrl, h.who[who], 'GET', path)).body;
    const ids = (body: any) =>
      (body.items ?? body.runs ?? body.rows ?? []).map(
        (x: any) => x.id ?? x.subject ?? x.name,
      );
    expect(ids(await list('tenantA', approvals('/proposals')))).toContain(
      h.seed.proposalId,
    );
    expect(ids(await list('tenantB', approvals('/proposals')))).toEqual([]);
    // Tenant A's name in tenant B's filter or search: an empty page, and no count leaks either.
    for (const query of [
      '?tenant=project-birds',
      '?q=birds',
      `?q=${h.seed.proposalId.slice(0, 8)}`,
      '?view=review',
    ]) {
      const page = await list('tenantB', approvals(`/proposals${query}`));
      expect({ query, page }).toEqual({
        query,
        page: expect.objectContaining({
          items: [],
          total: 0,
          counts: { byState: {}, waitingForMe: 0 },
        }),
      });
    }
    // A tenant may not claim: nothing waits for them, not even another member's proposal.
    const review = await list('tenantA', approvals('/proposals?view=review'));
    expect(review).toMatchObject({ items: [], counts: { waitingForMe: 0 } });
    expect(ids(await list('tenantA', evidence('/packets')))).toContain(
      h.seed.packetId,
    );
    expect(ids(await list('tenantB', evidence('/packets')))).toEqual([]);
    const overviewB = JSON.stringify(await list('tenantB', drift('/overview')));
    expect(overviewB).not.toContain('project-birds');
    expect(JSON.stringify(await list('tenantA', drift('/overview')))).toContain(
      'project-birds',
    );
  });

  it('never let a refused write through: the stores hold only what the permitted callers did', async () => {
    // eslint-disable-next-line no-console
    console.log(
      `authorization matrix: ${rows.length} endpoints x ${WHO.length} callers = ${results.length} calls`,
    );
    expect(results.length).toBe(rows.length * WHO.length);
    // Every decision and audit record was made by an operator or the approver, never by a
    // tenant member, CI or nobody.
    const verify = await call(
      h.baseUrl,
      h.who.operator,
      'GET',
      approvals('/audit/verify'),
    );
    expect(verify.body).toMatchObject({ ok: true });
    const snapshot = await storeSnapshot(db.prefix);
    expect(Object.keys(snapshot).length).toBeGreaterThan(5);
    const list = await call(
      h.baseUrl,
      h.who.operator,
      'GET',
      approvals('/proposals?limit=500'),
    );
    for (const p of list.body.items) {
      const view = await call(
        h.baseUrl,
        h.who.operator,
        'GET',
        approvals(`/proposals/${p.id}`),
      );
      for (const d of view.body.decisions ?? []) {
        expect([d.actor, d.kind]).toEqual([
          expect.stringMatching(/^user:default\/(olivia|oscar)\.operator$/),
          d.kind,
        ]);
      }
    }
  });
});
