import zlib from 'node:zlib';
import {
  FieldVariant,
  MALFORMED_JSON,
  NOT_AN_OBJECT,
  show,
  withField,
  wrongTypes,
} from './badInput';
import { birdsDriftRun, birdsProposal, Seed } from './fixtures';
import { Who } from './identities';

/**
 * The malformed-request matrix: every API route of the backend (approvals, evidence, drift,
 * catalog, the scaffolder dry-run, auth) crossed with the ways a request can be broken. Each
 * case must be answered 4xx with a message; which 4xx is the route's business.
 */
export interface MalformedCase {
  name: string;
  as: Who;
  method: string;
  path: (s: Seed) => string;
  /** Serialised with JSON.stringify. */
  json?: unknown;
  /** Sent as it is (text that is not JSON, a form, bytes). */
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Route {
  api: string;
  as: Who;
  method: string;
  /** With `:id` where the route takes an id. */
  template: string;
  path: (s: Seed, id?: string) => string;
  /** A valid body to break one field at a time; absent for routes without a JSON body. */
  body?: Record<string, unknown>;
  /** Fields of `body` that are names or identifiers, to receive bidirectional characters. */
  names?: string[];
  /** Fields of `body` that may be left out: leaving them out is no malformed request. */
  optional?: string[];
  /** The route parses JSON itself: a body that is not JSON is a 4xx here. */
  parsesJson?: boolean;
  /** A valid query to break one parameter at a time (Fabric routes refuse unknown ones). */
  query?: Record<string, string>;
  /** The route takes an id in its path. */
  takesId?: boolean;
  /** The route refuses unknown fields (the Fabric routes do; the catalog's ignore them). */
  lenient?: boolean;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'list' : typeof v;
}

const q = encodeURIComponent;
const DEEP = 20_000;

/** JSON every API refuses at its edge, whatever the route (jsonBodyGuard). */
export const EDGE_BODIES: Array<[string, string, Record<string, string>?]> = [
  [`${DEEP} nested lists`, `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`],
  [
    `${DEEP} nested objects in a field`,
    `{"details":${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`,
  ],
  [
    'a non-finite number (1e999)',
    '{"value": 1e999, "tenant": "project-birds"}',
  ],
  ['a negative non-finite number', '{"values": [1, -1e999]}'],
  ['a 500-digit number', `{"n": 1${'0'.repeat(500)}}`],
];

const BIDI: Array<[string, string]> = [
  ['a right-to-left override', 'invoice-\u202Egnp.exe'],
  ['a right-to-left isolate', 'a\u2067b\u2069'],
  ['a zero-width space', 'adm\u200Bin'],
  ['a NUL byte', 'a\u0000b'],
];

export const BAD_IDS = [
  '1',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  "x' OR '1'='1",
  '..%2F..%2Fetc%2Fpasswd',
  'ünïcödé-😀',
  '\u202Eabc',
  'x'.repeat(4000),
];

/** One case per way of breaking `route`. */
export function casesFor(route: Route): MalformedCase[] {
  const cases: MalformedCase[] = [];
  const add = (
    label: string,
    c: Omit<MalformedCase, 'name' | 'as' | 'method' | 'path'> & {
      path?: MalformedCase['path'];
    },
  ) =>
    cases.push({
      name: `${route.api}: ${route.method} ${route.template} ${label}`,
      as: route.as,
      method: route.method,
      path: c.path ?? (s => route.path(s)),
      ...c,
    });

  // fetch sends no body with a GET; every other method gets the edge cases.
  if (route.method !== 'GET') {
    for (const [label, text] of EDGE_BODIES) {
      add(label, {
        body: text,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    add('gzip-compressed JSON', {
      body: zlib.gzipSync('{"a": 1}'),
      headers: {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      },
    });
  }

  if (route.takesId) {
    for (const id of BAD_IDS) {
      add(`with the id ${show(id)}`, {
        path: s => route.path(s, q(id)),
        json: route.body,
      });
    }
  }

  if (route.query) {
    add('with an unknown query parameter', {
      path: s =>
        `${route.path(s)}?${new URLSearchParams({
          ...route.query,
          bogus: '1',
        })}`,
    });
    for (const [param] of Object.entries(route.query)) {
      const hostile: Array<[string, string]> = [
        ['SQL', `x' OR '1'='1`],
        ['a traversal', '../../etc/passwd'],
        ['a right-to-left override', '\u202Eevil'],
        ['a 4000-character value', 'v'.repeat(4000)],
      ];
      for (const [label, value] of hostile) {
        add(`with ${param} ${label}`, {
          path: s =>
            `${route.path(s)}?${new URLSearchParams({
              ...route.query,
              [param]: value,
            })}`,
        });
      }
      add(`with ${param} twice`, {
        path: s =>
          `${route.path(s)}?${new URLSearchParams({
            ...route.query,
          })}&${param}=${q(route.query![param])}`,
      });
    }
  }

  if (route.parsesJson) {
    for (const [label, text] of MALFORMED_JSON) {
      add(label, {
        body: text,
        headers: { 'Content-Type': 'application/json' },
      });
    }
  }

  if (route.body) {
    const base = route.body;
    for (const [label, value] of NOT_AN_OBJECT) {
      add(`with ${label} as the body`, { json: value });
    }
    const variants: Record<string, FieldVariant[]> = {};
    for (const field of Object.keys(base)) {
      variants[field] = [
        // A value of the field's own type may well be valid: only other types are wrong.
        ...wrongTypes().filter(
          v => jsonType(v.value) !== jsonType(base[field]),
        ),
        ...(route.optional?.includes(field)
          ? []
          : [{ label: 'missing', value: undefined, omit: true }]),
        { label: 'non-finite inside', value: { n: Infinity } },
      ];
    }
    for (const field of route.names ?? []) {
      for (const [label, value] of BIDI) {
        variants[field].push({ label: `with ${label}`, value });
      }
    }
    if (!route.lenient) {
      variants.unexpectedField = [{ label: 'an unknown field', value: 'x' }];
    }
    for (const [field, list] of Object.entries(variants)) {
      for (const variant of list) {
        const json = withField(base, field, variant);
        // JSON cannot write Infinity: send the literal that parses to it.
        const text = JSON.stringify(json, (_k, v) =>
          v === Infinity ? '__INF__' : v,
        ).replace(/"__INF__"/g, '1e999');
        add(`${field} ${variant.label} (${show(variant.value)})`, {
          body: text,
          headers: { 'Content-Type': 'application/json' },
        });
      }
    }
  }
  return cases;
}

// ------------------------------------------------------------------------------------- routes
const approvals = (p: string) => `/api/approvals${p}`;
const evidence = (p: string) => `/api/evidence${p}`;
const drift = (p: string) => `/api/drift${p}`;
const signingKeys = (p: string) => `/api/signing-keys${p}`;

export const FABRIC_ROUTES: Route[] = [
  {
    api: 'approvals',
    as: 'operator',
    method: 'GET',
    template: '/proposals',
    path: () => approvals('/proposals'),
    query: { state: 'validated', tenant: 'project-birds', limit: '10' },
  },
  {
    api: 'approvals',
    as: 'tenantA',
    method: 'POST',
    template: '/proposals',
    path: () => approvals('/proposals'),
    body: birdsProposal('A malformed proposal'),
    names: ['title', 'tenant', 'environment'],
    parsesJson: true,
  },
  ...['', '/audit', '/gate'].map<Route>(suffix => ({
    api: 'approvals',
    as: 'operator',
    method: 'GET',
    template: `/proposals/:id${suffix}`,
    path: (s, id) => approvals(`/proposals/${id ?? s.proposalId}${suffix}`),
    takesId: true,
  })),
  {
    api: 'approvals',
    as: 'ci',
    method: 'GET',
    template: '/gate',
    path: () => approvals('/gate'),
    query: { tenant: 'project-birds', changeRef: 'mr!1' },
  },
  ...(
    [
      ['operator', '/claim', undefined],
      ['operator', '/approve', { comment: 'fine' }],
      ['operator', '/reject', { reason: 'no' }],
      ['operator', '/apply', { reference: 'CHG-1' }],
      ['tenantA', '/withdraw', { reason: 'not needed' }],
    ] as Array<[Who, string, Record<string, unknown> | undefined]>
  ).map<Route>(([as, suffix, body]) => ({
    api: 'approvals',
    as,
    optional: ['comment', 'reason'].filter(
      f => suffix !== '/reject' && body && f in body,
    ),
    method: 'POST',
    template: `/proposals/:id${suffix}`,
    path: (s, id) => approvals(`/proposals/${id ?? s.proposalId}${suffix}`),
    takesId: true,
    parsesJson: true,
    body,
  })),
  {
    api: 'approvals',
    as: 'operator',
    method: 'GET',
    template: '/audit/verify',
    path: () => approvals('/audit/verify'),
  },
  {
    api: 'approvals',
    as: 'operator',
    method: 'PUT',
    template: '/keys/me',
    path: () => approvals('/keys/me'),
    body: { publicKey: 'not a key' },
    parsesJson: true,
  },
  {
    api: 'signing-keys',
    as: 'operator',
    method: 'POST',
    template: '/challenges',
    path: () => signingKeys('/challenges'),
    body: { purpose: 'register' },
    optional: ['purpose'],
    parsesJson: true,
  },
  {
    api: 'signing-keys',
    as: 'approver',
    method: 'PUT',
    template: '/keys/me',
    path: () => signingKeys('/keys/me'),
    body: {
      publicKey:
        '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----',
      challengeId: '00000000-0000-4000-8000-000000000000',
      signature:
        '-----BEGIN PGP SIGNATURE-----\n\nnot a signature\n-----END PGP SIGNATURE-----',
    },
    names: ['challengeId'],
    parsesJson: true,
  },
  {
    api: 'signing-keys',
    as: 'operator',
    method: 'DELETE',
    template: '/keys/me',
    path: () => signingKeys('/keys/me'),
    body: { reason: 'lost the smartcard' },
    optional: ['reason'],
    parsesJson: true,
  },
  {
    api: 'signing-keys',
    as: 'operator',
    method: 'GET',
    template: '/audit',
    path: () => signingKeys('/audit'),
    query: { user: 'user:default/olivia.operator', limit: '10' },
  },
  {
    api: 'evidence',
    as: 'operator',
    method: 'GET',
    template: '/packets',
    path: () => evidence('/packets'),
    query: { area: 'tenants', verdict: 'verified', limit: '10' },
  },
  {
    api: 'evidence',
    as: 'operator',
    method: 'GET',
    template: '/facets',
    path: () => evidence('/facets'),
  },
  {
    api: 'evidence',
    as: 'ci',
    method: 'POST',
    template: '/packets (upload)',
    path: () => evidence('/packets'),
    query: {
      area: 'tenants',
      subject: 'project-birds',
      timestamp: '2026-03-04T05:06:07Z',
    },
  },
  {
    api: 'evidence',
    as: 'operator',
    method: 'POST',
    template: '/rescan',
    path: () => evidence('/rescan'),
  },
  ...['', '/preview?path=summary.md', '/download?path=summary.md'].map<Route>(
    suffix => ({
      api: 'evidence',
      as: 'operator',
      method: 'GET',
      template: `/packets/:id${suffix}`,
      path: (s, id) => evidence(`/packets/${id ?? s.packetId}${suffix}`),
      takesId: true,
    }),
  ),
  {
    api: 'evidence',
    as: 'operator',
    method: 'PUT',
    template: '/keys/me',
    path: () => evidence('/keys/me'),
    body: { publicKey: 'not a key' },
    parsesJson: true,
  },
  {
    api: 'drift',
    as: 'ci',
    method: 'POST',
    template: '/runs',
    path: () => drift('/runs'),
    body: birdsDriftRun('birds-dev/malformed'),
    names: ['source', 'environment', 'tenant'],
    parsesJson: true,
  },
  {
    api: 'drift',
    as: 'ci',
    method: 'POST',
    template: '/runs/terraform',
    path: () =>
      drift('/runs/terraform?environment=samakia-dev&tenant=project-birds'),
    // Only format_version: what terraform show -json prints for an empty workspace.
    body: { format_version: '1.2' },
    parsesJson: true,
  },
  ...(['/current', '/history'] as const).map<Route>(route => ({
    api: 'drift',
    as: 'operator',
    method: 'GET',
    template: route,
    path: () => drift(route),
    query: { tenant: 'project-birds', environment: 'samakia-dev' },
  })),
  {
    api: 'drift',
    as: 'operator',
    method: 'GET',
    template: '/overview',
    path: () => drift('/overview'),
  },
  {
    api: 'drift',
    as: 'operator',
    method: 'GET',
    template: '/runs/:id',
    path: (s, id) => drift(`/runs/${id ?? s.driftRunId}`),
    takesId: true,
  },
];
