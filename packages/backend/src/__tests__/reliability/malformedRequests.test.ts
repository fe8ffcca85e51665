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
import { Identities, identities } from './support/identities';
import {
  BAD_IDS,
  FABRIC_ROUTES,
  MalformedCase,
  Route,
  casesFor,
} from './support/malformedCases';
import { pgDatabasePrefix } from './support/postgres';
import { TarEntry, tarArchive } from './support/tar';

// Malformed requests against every API route of the real backend (its own process, on
// PostgreSQL): the Fabric plugins, the catalog, the scaffolder dry-run and the auth routes, each
// crossed with deep nesting, non-finite numbers, compressed JSON, invalid JSON, bodies that are
// not objects, wrong types, missing and unknown fields, bidirectional characters, bad ids and
// bad query parameters (see support/malformedCases.ts). Every answer must be a 4xx with a
// message; no 5xx; nothing stored; the backend healthy after.

jest.setTimeout(300_000);

const catalog = (p: string) => `/api/catalog${p}`;
const json = { 'Content-Type': 'application/json' };

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'malformed' },
  spec: {
    owner: 'group:default/platform-operators',
    type: 'service',
    steps: [],
  },
};

/** The routes of plugins we do not own: their own checks, behind the same JSON edge. */
const OTHER_ROUTES: Route[] = [
  {
    api: 'catalog',
    as: 'operator',
    method: 'POST',
    template: '/validate-entity',
    path: () => catalog('/validate-entity'),
    body: {
      location: 'url:https://example.com/x.yaml',
      entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component' },
    },
    names: ['location'],
    parsesJson: true,
    lenient: true,
  },
  {
    api: 'catalog',
    as: 'operator',
    method: 'POST',
    template: '/entities/by-refs',
    path: () => catalog('/entities/by-refs'),
    body: { entityRefs: ['not a ref:::'] },
    parsesJson: true,
    lenient: true,
  },
  {
    api: 'catalog',
    as: 'operator',
    method: 'POST',
    template: '/refresh',
    path: () => catalog('/refresh'),
    body: { entityRef: 'component:default/does-not-exist' },
    parsesJson: true,
    lenient: true,
  },
  {
    api: 'catalog',
    as: 'operator',
    method: 'GET',
    template: '/entities/by-query',
    path: () => catalog('/entities/by-query'),
  },
  {
    api: 'catalog',
    as: 'operator',
    method: 'GET',
    template: '/entities/by-uid/:id',
    path: (_s, id) => catalog(`/entities/by-uid/${id ?? 'x'}`),
    takesId: true,
  },
  {
    api: 'scaffolder',
    as: 'operator',
    method: 'POST',
    template: '/v2/dry-run',
    path: () => '/api/scaffolder/v2/dry-run',
    body: { template, values: {}, directoryContents: [] },
    parsesJson: true,
    lenient: true,
    // An empty values object or file list is a valid dry run.
    optional: ['values', 'directoryContents'],
  },
  {
    api: 'auth',
    as: 'anonymous',
    method: 'GET',
    template: '/oidc/start',
    path: () => '/api/auth/oidc/start?env=nowhere',
  },
  {
    api: 'auth',
    as: 'anonymous',
    method: 'POST',
    template: '/oidc/refresh',
    path: () => '/api/auth/oidc/refresh?env=development',
  },
  {
    api: 'auth',
    as: 'anonymous',
    method: 'GET',
    template: '/v1/userinfo',
    path: () => '/api/auth/v1/userinfo',
  },
  {
    api: 'auth',
    as: 'anonymous',
    method: 'POST',
    template: '/dev-idp/interaction/:id/login',
    path: (_s, id) => `/api/dev-idp/interaction/${id ?? 'unknown'}/login`,
    takesId: true,
  },
];

/** `{"a":{"a":…1…}}`, `levels` deep, as text: JSON.stringify itself overflows on it. */
const deepText = (levels: number) =>
  `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const spliced = (value: unknown, marker: string, text: string) =>
  JSON.stringify(value).replace(`"${marker}"`, text);

/** Evidence uploads whose entries contradict each other (the tar collisions). */
const CONFLICTING_ARCHIVES: Array<[string, TarEntry[]]> = [
  [
    'a file, then a folder of the same name',
    [
      { name: 'steps', content: 'x' },
      { name: 'steps/', type: 'directory' },
    ],
  ],
  [
    'a folder, then a file of the same name',
    [
      { name: 'steps/', type: 'directory' },
      { name: 'steps', content: 'x' },
    ],
  ],
  [
    'a file, then a file inside it',
    [
      { name: 'summary.md', content: 'x' },
      { name: 'summary.md/evil', content: 'y' },
    ],
  ],
  [
    'a file inside a folder, then a file of the folder name',
    [
      { name: 'steps/a.log', content: 'x' },
      { name: 'steps', content: 'y' },
    ],
  ],
];

/** Route-specific breaks the generic matrix does not reach. */
const SPECIFIC: MalformedCase[] = [
  // The issue's own cases: each was a 500.
  {
    name: 'approvals: POST /proposals change.details nested 20,000 levels',
    as: 'tenantA',
    method: 'POST',
    path: () => '/api/approvals/proposals',
    body: spliced(
      {
        ...birdsProposal('Deep details'),
        change: { description: 'deep', details: '@deep' },
      },
      '@deep',
      deepText(20_000),
    ),
    headers: json,
  },
  {
    name: 'approvals: POST /proposals change.details holding 1e999',
    as: 'tenantA',
    method: 'POST',
    path: () => '/api/approvals/proposals',
    body: spliced(
      {
        ...birdsProposal('Infinite details'),
        change: { description: 'inf', details: { cpu: '@inf' } },
      },
      '@inf',
      '1e999',
    ),
    headers: json,
  },
  {
    name: 'drift: POST /runs findings[0].declared nested 20,000 levels',
    as: 'ci',
    method: 'POST',
    path: () => '/api/drift/runs',
    body: (() => {
      const run = birdsDriftRun('birds-dev/deep');
      return spliced(
        { ...run, findings: [{ ...run.findings[0], declared: '@deep' }] },
        '@deep',
        deepText(20_000),
      );
    })(),
    headers: json,
  },
  ...CONFLICTING_ARCHIVES.map<MalformedCase>(([label, entries]) => ({
    name: `evidence: POST /packets an archive with ${label}`,
    as: 'ci',
    method: 'POST',
    path: () =>
      '/api/evidence/packets?area=tenants&subject=project-birds&timestamp=2026-03-04T05:06:07Z',
    body: zlib.gzipSync(tarArchive(entries)),
    headers: { 'Content-Type': 'application/gzip' },
  })),
  ...[
    ['limit=abc'],
    ['limit=-1'],
    ['cursor=not-a-cursor'],
    ['limit=1.5'],
  ].map<MalformedCase>(([query]) => ({
    name: `catalog: GET /entities/by-query?${query.slice(0, 40)}`,
    as: 'operator',
    method: 'GET',
    path: () => catalog(`/entities/by-query?${query}`),
  })),
  ...[
    'component/default/does-not-exist',
    'component/default/%E2%80%AEevil',
    'component/%20/x',
  ].map<MalformedCase>(name => ({
    name: `catalog: GET /entities/by-name/${name}`,
    as: 'operator',
    method: 'GET',
    path: () => catalog(`/entities/by-name/${name}`),
  })),
  {
    name: 'catalog: GET /entity-facets without a facet',
    as: 'operator',
    method: 'GET',
    path: () => catalog('/entity-facets'),
  },
  ...[
    { type: 42, target: 'x' },
    { type: 'url' },
    { target: ['a'] },
    {},
  ].map<MalformedCase>(body => ({
    name: `catalog: POST /locations ${JSON.stringify(body)}`,
    as: 'operator',
    method: 'POST',
    path: () => catalog('/locations?dryRun=true'),
    json: body,
  })),
  ...[{ location: 42 }, { location: { type: 'url' } }, {}].map<MalformedCase>(
    body => ({
      name: `catalog: POST /analyze-location ${JSON.stringify(body)}`,
      as: 'operator',
      method: 'POST',
      path: () => catalog('/analyze-location'),
      json: body,
    }),
  ),
  {
    name: 'scaffolder: POST /v2/dry-run as text',
    as: 'operator',
    method: 'POST',
    path: () => '/api/scaffolder/v2/dry-run',
    body: 'template: x',
    headers: { 'Content-Type': 'text/plain' },
  },
  {
    name: 'scaffolder: POST /v2/dry-run a template 20,000 levels deep in its parameters',
    as: 'operator',
    method: 'POST',
    path: () => '/api/scaffolder/v2/dry-run',
    body: `{"template":{"spec":{"parameters":${'['.repeat(20_000)}${']'.repeat(
      20_000,
    )}}},"values":{}}`,
    headers: json,
  },
  ...['', 'nowhere', '<script>', '\u202E'].map<MalformedCase>(env => ({
    name: `auth: GET /oidc/start?env=${JSON.stringify(env)}`,
    as: 'anonymous',
    method: 'GET',
    path: () => `/api/auth/oidc/start?env=${encodeURIComponent(env)}`,
  })),
  ...[
    'username=&password=',
    `username=${'u'.repeat(300)}&password=x`,
    'username=a%00b&password=x',
  ].map<MalformedCase>(form => ({
    name: `auth: POST /dev-idp/interaction/unknown/login ${form.slice(0, 30)}`,
    as: 'anonymous',
    method: 'POST',
    path: () => '/api/dev-idp/interaction/unknown/login',
    body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })),
];

const cases: MalformedCase[] = [
  ...[...FABRIC_ROUTES, ...OTHER_ROUTES].flatMap(casesFor),
  ...SPECIFIC,
];

describe('malformed requests on every API route (PostgreSQL, own process)', () => {
  const db = pgDatabasePrefix('malformed');
  let backend: BackendProcess;
  let who: Identities;
  let seeded: Seed;
  let before: Record<string, string>;
  const statuses: Record<string, number> = {};
  const serverErrors: string[] = [];
  let answered = 0;

  beforeAll(async () => {
    backend = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'malformed',
    });
    who = await identities(backend.baseUrl);
    seeded = await seed(backend.baseUrl, who);
    before = await storeSnapshot(db.prefix);
  });

  afterAll(async () => {
    await backend?.stop();
    await db.drop();
  });

  it(`generates at least 600 cases across every API (${cases.length})`, () => {
    const byApi: Record<string, number> = {};
    for (const c of cases) {
      const api = c.name.split(':')[0];
      byApi[api] = (byApi[api] ?? 0) + 1;
    }
    // eslint-disable-next-line no-console
    console.log(
      `malformed requests: ${cases.length} cases, by API ${JSON.stringify(
        byApi,
      )}`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(600);
    expect(Object.keys(byApi).sort()).toEqual([
      'approvals',
      'auth',
      'catalog',
      'drift',
      'evidence',
      'scaffolder',
      'signing-keys',
    ]);
    expect(BAD_IDS.length).toBeGreaterThan(0);
  });

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await call(
      backend.baseUrl,
      who[c.as],
      c.method,
      c.path(seeded),
      { json: c.json, body: c.body, headers: c.headers },
    );
    answered += 1;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status >= 500) serverErrors.push(`${res.status} ${c.name}`);
    const message: string =
      res.body?.error?.message ??
      res.body?.errors?.map((e: { message: string }) => e.message).join('\n') ??
      res.body?.message ??
      res.text;
    const summary = { status: res.status, message: message.slice(0, 300) };
    // The whole answer in the failure, so a wrong status shows what the route said.
    expect({
      ...summary,
      is4xx: res.status >= 400 && res.status < 500,
      saysWhy: /\S/.test(message),
    }).toEqual({ ...summary, is4xx: true, saysWhy: true });
  });

  it('answered every case 4xx, none 5xx, stored nothing and stays healthy', async () => {
    // eslint-disable-next-line no-console
    console.log(
      `malformed requests: ${answered} answered, by status ${JSON.stringify(
        statuses,
      )}, ${serverErrors.length} 5xx`,
    );
    expect(answered).toBe(cases.length);
    expect(serverErrors).toEqual([]);
    expect(await backend.ready()).toBe(true);
    const health = await fetch(
      `${backend.baseUrl}/.backstage/health/v1/liveness`,
    );
    expect(health.status).toBe(200);
    expect(await storeSnapshot(db.prefix)).toEqual(before);
    expect(backend.log().match(/^.* failed: .*$/gm) ?? []).toEqual([]);
  });
});
