import zlib from 'node:zlib';
import { BackendProcess, startBackendProcess } from './support/backendProcess';
import {
  FieldVariant,
  MALFORMED_JSON,
  NOT_AN_OBJECT,
  hostile,
  missing,
  show,
  withField,
  wrongTypes,
} from './support/badInput';
import {
  Seed,
  birdsDriftRun,
  birdsProposal,
  seed,
  storeSnapshot,
} from './support/fixtures';
import { call } from '../support/apiCall';
import { Identities, Who, identities } from './support/identities';
import { pgDatabasePrefix } from './support/postgres';
import { browse, CookieJar, formAction } from '../support/oidcFlow';
import { tarArchive } from './support/tar';

// Bad input against every Fabric API of the real backend, running as its own process on
// PostgreSQL: generated cases (one field of a valid request broken at a time, hostile strings,
// malformed and oversized bodies), each answered 4xx with a message naming the problem. Nothing
// may be stored and the backend must stay ready. The fabric:* scaffolder actions get the same
// treatment in scaffolderActionsBadInput.test.ts.

jest.setTimeout(240_000);

interface BadCase {
  name: string;
  as: Who;
  method: string;
  path: (s: Seed) => string;
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The exact status; otherwise any 4xx. */
  status?: number;
  /** The error message must mention one of these (case-insensitive). */
  mention: string[];
}

const cases: BadCase[] = [];
const add = (api: string, c: BadCase) =>
  cases.push({ ...c, name: `${api}: ${c.name}` });

// A script link, built so that no linter mistakes the test data for code.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const q = (value: unknown) => encodeURIComponent(String(value));
/** One case per variant of each field of a JSON body. */
function bodyCases(
  api: string,
  route: { as: Who; method: string; path: (s: Seed) => string },
  base: Record<string, unknown>,
  fields: Record<string, FieldVariant[]>,
) {
  for (const [field, variants] of Object.entries(fields)) {
    for (const variant of variants) {
      add(api, {
        ...route,
        name: `${route.method} ${route.path({
          proposalId: ':id',
        } as Seed)} ${field} ${variant.label} (${show(variant.value)})`,
        json: withField(base, field, variant),
        mention: [field.split('.').pop()!],
      });
    }
  }
  for (const [label, body] of MALFORMED_JSON) {
    add(api, {
      ...route,
      name: `${route.method} ${route.path({
        proposalId: ':id',
      } as Seed)} ${label}`,
      body,
      headers: { 'Content-Type': 'application/json' },
      status: 400,
      mention: ['JSON'],
    });
  }
}

// ------------------------------------------------------------------------------------ approvals
const proposals = {
  as: 'operator' as Who,
  method: 'POST',
  path: () => '/api/approvals/proposals',
};
const validProposal = birdsProposal('A valid proposal');
const refVariants = [...wrongTypes(), ...hostile(['a huge value']), missing];
bodyCases('approvals', proposals, validProposal, {
  tenant: refVariants,
  environment: refVariants,
  type: [...wrongTypes(), ...hostile(), missing],
  title: [
    ...wrongTypes(),
    missing,
    { label: 'empty', value: '   ' },
    { label: 'a huge value', value: 't'.repeat(100_000) },
  ],
  change: [...wrongTypes(['an object']), missing],
  changeRef: [...wrongTypes(['null']), ...hostile()],
  supersedes: [...wrongTypes(['null']), ...hostile()],
  evidence: [
    ...wrongTypes(['a list', 'null']),
    ...hostile(['empty']).map(v => ({ ...v, value: [{ url: v.value }] })),
    { label: 'script link', value: [{ url: SCRIPT_URL }] },
  ],
  unexpectedField: [{ label: 'an unknown field', value: 'x' }],
});
for (const [label, body] of NOT_AN_OBJECT) {
  add('approvals', {
    ...proposals,
    name: `POST /proposals ${label}`,
    json: body,
    mention: ['object', 'expected'],
  });
}
add('approvals', {
  ...proposals,
  name: 'POST /proposals oversized body (2 MB)',
  json: { ...validProposal, change: { description: 'x'.repeat(2_000_000) } },
  status: 413,
  mention: ['too large'],
});

const idRoutes: Array<[string, string, unknown]> = [
  ['GET', '', undefined],
  ['GET', '/audit', undefined],
  ['GET', '/gate', undefined],
  ['POST', '/claim', {}],
  ['POST', '/approve', {}],
  ['POST', '/reject', { reason: 'no' }],
  ['POST', '/apply', { reference: 'CHG-1' }],
  ['POST', '/withdraw', {}],
];
const badIds = [
  '1',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  "x' OR '1'='1",
  '../../../etc/passwd',
  'ünïcödé-😀',
  'x'.repeat(4000),
];
for (const [method, suffix, json] of idRoutes) {
  for (const id of badIds) {
    add('approvals', {
      name: `${method} /proposals/${show(id)}${suffix}`,
      as: 'operator',
      method,
      path: () => `/api/approvals/proposals/${q(id)}${suffix}`,
      json,
      status: 400,
      mention: ['proposal id'],
    });
  }
}

const decisionBodies: Array<[string, Record<string, FieldVariant[]>]> = [
  [
    '/approve',
    {
      comment: [
        ...wrongTypes(['null']),
        { label: 'huge', value: 'c'.repeat(5000) },
      ],
      signature: [
        ...wrongTypes(['null']),
        { label: 'huge', value: 's'.repeat(30_000) },
      ],
      override: [
        ...wrongTypes(['null', 'an object']),
        { label: 'without a reason', value: { trackingRef: 'OPS-1' } },
        {
          label: 'with a bad tracking ref',
          value: { reason: 'r', trackingRef: "'; DROP TABLE x" },
        },
      ],
      bogus: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  [
    '/reject',
    {
      reason: [
        ...wrongTypes(),
        missing,
        { label: 'blank', value: '  ' },
        { label: 'huge', value: 'r'.repeat(5000) },
      ],
      bogus: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  [
    '/apply',
    {
      reference: [
        ...wrongTypes(),
        missing,
        { label: 'blank', value: ' ' },
        { label: 'huge', value: 'r'.repeat(600) },
      ],
      override: [
        {
          label: 'a bad tracking ref',
          value: { reason: 'r', trackingRef: '../../x' },
        },
      ],
      bogus: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  [
    '/withdraw',
    {
      reason: [
        ...wrongTypes(['null']),
        { label: 'huge', value: 'r'.repeat(5000) },
      ],
      bogus: [{ label: 'an unknown field', value: 1 }],
    },
  ],
];
for (const [suffix, fields] of decisionBodies) {
  const validBodies: Record<string, Record<string, unknown>> = {
    '/reject': { reason: 'no' },
    '/apply': { reference: 'CHG-1' },
  };
  const base = validBodies[suffix] ?? {};
  for (const [field, variants] of Object.entries(fields)) {
    for (const variant of variants) {
      add('approvals', {
        name: `POST /proposals/:id${suffix} ${field} ${variant.label} (${show(
          variant.value,
        )})`,
        as: 'operator',
        method: 'POST',
        path: s => `/api/approvals/proposals/${s.proposalId}${suffix}`,
        json: withField(base, field, variant),
        status: 400,
        mention: [field],
      });
    }
  }
  add('approvals', {
    name: `POST /proposals/:id${suffix} truncated JSON`,
    as: 'operator',
    method: 'POST',
    path: s => `/api/approvals/proposals/${s.proposalId}${suffix}`,
    body: '{"reason": "no"',
    headers: { 'Content-Type': 'application/json' },
    status: 400,
    mention: ['JSON'],
  });
}

const listQueries: Array<[string, string, string]> = [
  ['state', 'bogus', 'state'],
  ['state', "approved' OR '1'='1", 'state'],
  ['limit', 'abc', 'limit'],
  ['limit', '-1', 'limit'],
  ['limit', '100000000', 'limit'],
  ['limit', '1.5', 'limit'],
  ['offset', '-5', 'offset'],
  ['view', '<script>', 'view'],
  ['tenant', '../../etc/passwd', 'tenant'],
  ['tenant', "x' OR 1=1 --", 'tenant'],
  ['environment', '$(id)', 'environment'],
  ['requester', 'group:default/admins', 'requester'],
  ['changeRef', 'has spaces; rm -rf /', 'changeRef'],
  ['sort', 'id', 'sort'],
  ['state[$ne]', 'x', 'state'],
];
for (const [param, value, mention] of listQueries) {
  add('approvals', {
    name: `GET /proposals?${param}=${show(value)}`,
    as: 'operator',
    method: 'GET',
    path: () => `/api/approvals/proposals?${param}=${q(value)}`,
    status: 400,
    mention: [mention],
  });
}
add('approvals', {
  name: 'GET /proposals?state=a&state=b (a list)',
  as: 'operator',
  method: 'GET',
  path: () => '/api/approvals/proposals?state=validated&state=approved',
  status: 400,
  mention: ['state'],
});

const gateQueries: Array<[string, string]> = [
  ['', 'tenant'],
  ['tenant=project-birds', 'changeRef'],
  ['changeRef=mr!1', 'tenant'],
  ['tenant=project-birds&changeRef=mr 1; rm -rf /', 'changeRef'],
  [`tenant=project-birds&changeRef=${'m'.repeat(300)}`, 'changeRef'],
  ['tenant=<script>alert(1)</script>&changeRef=mr!1', 'tenant'],
  ['tenant=plane:default/dns&changeRef=mr!1', 'tenant'],
  ['tenant=project-birds&changeRef=mr!1&extra=1', 'extra'],
];
for (const [query, mention] of gateQueries) {
  add('approvals', {
    name: `GET /gate?${show(query)}`,
    as: 'ci',
    method: 'GET',
    path: () =>
      `/api/approvals/gate?${query
        .split('&')
        .filter(Boolean)
        .map(kv => {
          const [k, ...v] = kv.split('=');
          return `${k}=${q(v.join('='))}`;
        })
        .join('&')}`,
    status: 400,
    mention: [mention],
  });
}

// Keys moved to the one registry; the old addresses say where.
add('approvals', {
  name: 'PUT /keys/me (moved to the signing-key registry)',
  as: 'operator',
  method: 'PUT',
  path: () => '/api/approvals/keys/me',
  json: { publicKey: 'ssh-rsa AAAAB3NzaC1yc2E' },
  status: 410,
  mention: ['/api/signing-keys'],
});

// ------------------------------------------------------------------------------------- evidence
const packetQueries: Array<[string, string]> = [
  ['area', '../../etc'],
  ['area', "tenants' OR '1'='1"],
  ['area', '<b>x</b>'],
  ['verdict', 'bogus'],
  ['verdict', '$(id)'],
  ['from', 'yesterday'],
  ['to', '2026-13-45'],
  ['limit', 'zero'],
  ['limit', '0'],
  ['offset', '-1'],
  ['tenant', '../../etc/passwd'],
  ['tenant', 'plane:default/dns'],
  ['entity', 'not a ref at all:'],
  ['unknown', 'x'],
];
for (const [param, value] of packetQueries) {
  add('evidence', {
    name: `GET /packets?${param}=${show(value)}`,
    as: 'operator',
    method: 'GET',
    path: () => `/api/evidence/packets?${param}=${q(value)}`,
    status: 400,
    mention: [param],
  });
}
for (const id of badIds) {
  for (const suffix of [
    '',
    '/preview?path=summary.md',
    '/download?path=summary.md',
  ]) {
    add('evidence', {
      name: `GET /packets/${show(id)}${suffix}`,
      as: 'operator',
      method: 'GET',
      path: () => `/api/evidence/packets/${q(id)}${suffix}`,
      status: 400,
      mention: ['packet id'],
    });
  }
}
for (const suffix of ['preview', 'download']) {
  for (const [label, query, status, ...mention] of [
    ['without a path', '', 400, 'path'],
    ['with an empty path', 'path=', 400, 'path'],
    ['with a huge path', `path=${'p'.repeat(1500)}`, 400, 'path'],
    [
      'with a traversal path',
      `path=${q('../../../../etc/passwd')}`,
      0,
      'path',
      'file',
    ],
    ['with an absolute path', `path=${q('/etc/passwd')}`, 0, 'path', 'file'],
    [
      'with an encoded traversal',
      `path=${q('steps/..%2F..%2F..%2Fetc%2Fpasswd')}`,
      0,
      'path',
      'file',
    ],
    ['with a NUL byte', `path=${q('summary.md\u0000.png')}`, 0, 'path', 'file'],
    ['with a list of paths', 'path=a&path=b', 400, 'path'],
  ] as Array<[string, string, number, ...string[]]>) {
    add('evidence', {
      name: `GET /packets/:id/${suffix} ${label}`,
      as: 'operator',
      method: 'GET',
      path: s => `/api/evidence/packets/${s.packetId}/${suffix}?${query}`,
      status: status || undefined,
      mention,
    });
  }
}

const gz = (entries: Parameters<typeof tarArchive>[0]) =>
  zlib.gzipSync(tarArchive(entries));
const upload = (query: string) => () => `/api/evidence/packets?${query}`;
const GOOD_QUERY =
  'area=tenants&subject=project-birds&timestamp=2026-03-04T05:06:07Z';
const uploads: Array<
  [string, string, string | Buffer, string, number, string[]]
> = [
  [
    'without an area',
    'subject=x&timestamp=2026-03-04T05:06:07Z',
    gz([]),
    'application/gzip',
    400,
    ['area'],
  ],
  [
    'with a traversal area',
    `area=..&timestamp=2026-03-04T05:06:07Z`,
    gz([]),
    'application/gzip',
    400,
    ['area'],
  ],
  [
    'with an area of slashes',
    `area=${q('../../etc')}&timestamp=2026-03-04T05:06:07Z`,
    gz([]),
    'application/gzip',
    400,
    ['area'],
  ],
  [
    'with a shell area',
    `area=${q('$(reboot)')}&timestamp=2026-03-04T05:06:07Z`,
    gz([]),
    'application/gzip',
    400,
    ['area'],
  ],
  [
    'with a traversal subject',
    `area=tenants&subject=${q('a/../../b')}&timestamp=2026-03-04T05:06:07Z`,
    gz([]),
    'application/gzip',
    400,
    ['subject'],
  ],
  [
    'with a unicode subject',
    `area=tenants&subject=${q('😀/ü')}&timestamp=2026-03-04T05:06:07Z`,
    gz([]),
    'application/gzip',
    400,
    ['subject'],
  ],
  [
    'without a timestamp',
    'area=tenants&subject=x',
    gz([]),
    'application/gzip',
    400,
    ['timestamp'],
  ],
  [
    'with a bad timestamp',
    'area=tenants&timestamp=yesterday',
    gz([]),
    'application/gzip',
    400,
    ['timestamp'],
  ],
  [
    'with an injected timestamp',
    `area=tenants&timestamp=${q("2026' OR 1=1")}`,
    gz([]),
    'application/gzip',
    400,
    ['timestamp'],
  ],
  [
    'with an unknown parameter',
    `${GOOD_QUERY}&force=true`,
    gz([]),
    'application/gzip',
    400,
    ['force'],
  ],
  [
    'as JSON',
    GOOD_QUERY,
    '{"files": []}',
    'application/json',
    400,
    ['Content-Type'],
  ],
  ['as text', GOOD_QUERY, 'hello', 'text/plain', 400, ['Content-Type']],
  [
    'that is not gzip',
    GOOD_QUERY,
    Buffer.from('definitely not an archive'),
    'application/gzip',
    400,
    ['tar'],
  ],
  [
    'that is gzip of text',
    GOOD_QUERY,
    zlib.gzipSync('plain text, not tar'.repeat(40)),
    'application/gzip',
    400,
    ['tar'],
  ],
  [
    'with a ../ entry',
    GOOD_QUERY,
    gz([{ name: '../evil.sh', content: 'x' }]),
    'application/gzip',
    400,
    ['../evil.sh'],
  ],
  [
    'with an absolute entry',
    GOOD_QUERY,
    gz([{ name: '/etc/cron.d/evil', content: 'x' }]),
    'application/gzip',
    400,
    ['/etc/cron.d/evil'],
  ],
  [
    'with a nested traversal entry',
    GOOD_QUERY,
    gz([{ name: 'steps/../../../evil', content: 'x' }]),
    'application/gzip',
    400,
    ['evil'],
  ],
  [
    'with a backslash entry',
    GOOD_QUERY,
    gz([{ name: 'steps\\..\\evil', content: 'x' }]),
    'application/gzip',
    400,
    ['evil'],
  ],
  [
    'with a symlink',
    GOOD_QUERY,
    gz([{ name: 'summary.md', type: 'symlink', linkname: '/etc/passwd' }]),
    'application/gzip',
    400,
    ['summary.md'],
  ],
  [
    'with a hard link',
    GOOD_QUERY,
    gz([{ name: 'summary.md', type: 'link', linkname: 'other' }]),
    'application/gzip',
    400,
    ['summary.md'],
  ],
  [
    'with duplicate entries',
    GOOD_QUERY,
    gz([
      { name: 'summary.md', content: 'a' },
      { name: 'summary.md', content: 'b' },
    ]),
    'application/gzip',
    400,
    ['summary.md'],
  ],
  [
    'over the upload limit',
    GOOD_QUERY,
    Buffer.alloc(200 * 1024, 7),
    'application/gzip',
    413,
    ['limit'],
  ],
  [
    'that unpacks 1000 times its size',
    GOOD_QUERY,
    gz([{ name: 'summary.md', content: '\0'.repeat(8 * 1024 * 1024) }]),
    'application/gzip',
    413,
    ['1000 times'],
  ],
];
for (const [label, query, body, type, status, mention] of uploads) {
  add('evidence', {
    name: `POST /packets ${label}`,
    as: 'ci',
    method: 'POST',
    path: upload(query),
    body,
    headers: { 'Content-Type': type },
    status,
    mention,
  });
}
add('evidence', {
  name: 'PUT /keys/me (moved to the signing-key registry)',
  as: 'operator',
  method: 'PUT',
  path: () => '/api/evidence/keys/me',
  json: { publicKey: 'hello' },
  status: 410,
  mention: ['/api/signing-keys'],
});

// --------------------------------------------------------------------------------- signing-keys
const ARMORED_KEY_NOT_A_KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 at all !!!\n-----END PGP PUBLIC KEY BLOCK-----';
const ARMORED_SIGNATURE_NOT_A_SIGNATURE =
  '-----BEGIN PGP SIGNATURE-----\n\n!!!\n-----END PGP SIGNATURE-----';
bodyCases(
  'signing-keys',
  { as: 'operator', method: 'PUT', path: () => '/api/signing-keys/keys/me' },
  {
    publicKey: ARMORED_KEY_NOT_A_KEY,
    challengeId: '00000000-0000-4000-8000-000000000000',
    signature: ARMORED_SIGNATURE_NOT_A_SIGNATURE,
  },
  {
    publicKey: [
      ...wrongTypes(),
      missing,
      { label: 'not armored', value: 'ssh-rsa AAAAB3NzaC1yc2E' },
      { label: 'a huge value', value: 'k'.repeat(150_000) },
    ],
    challengeId: [
      ...wrongTypes(),
      missing,
      { label: 'not a uuid', value: "1' OR '1'='1" },
    ],
    signature: [
      ...wrongTypes(),
      missing,
      { label: 'not armored', value: 'hello' },
      { label: 'a huge value', value: 's'.repeat(30_000) },
    ],
    extra: [{ label: 'an unknown field', value: 1 }],
  },
);
add('signing-keys', {
  name: 'PUT /keys/me an armored block that is not a key',
  as: 'operator',
  method: 'PUT',
  path: () => '/api/signing-keys/keys/me',
  json: {
    publicKey: ARMORED_KEY_NOT_A_KEY,
    challengeId: '00000000-0000-4000-8000-000000000000',
    signature: ARMORED_SIGNATURE_NOT_A_SIGNATURE,
  },
  status: 400,
  mention: ['publicKey'],
});
add('signing-keys', {
  name: 'PUT /keys/me oversized body (300 KB)',
  as: 'operator',
  method: 'PUT',
  path: () => '/api/signing-keys/keys/me',
  json: { publicKey: 'k'.repeat(300_000) },
  status: 413,
  mention: ['too large'],
});
bodyCases(
  'signing-keys',
  { as: 'operator', method: 'DELETE', path: () => '/api/signing-keys/keys/me' },
  { reason: 'lost' },
  {
    reason: [...wrongTypes(), { label: 'blank', value: '   ' }],
    extra: [{ label: 'an unknown field', value: 1 }],
  },
);

// ---------------------------------------------------------------------------------------- drift
const runs = {
  as: 'ci' as Who,
  method: 'POST',
  path: () => '/api/drift/runs',
};
const validRun = birdsDriftRun('birds-dev/never-stored');
const finding = validRun.findings[0];
bodyCases('drift', runs, validRun, {
  source: [...wrongTypes(), ...hostile(['a huge value']), missing],
  environment: [
    ...wrongTypes(),
    ...hostile(['a huge value']),
    missing,
    { label: 'unknown', value: 'samakia-moon' },
  ],
  tenant: [
    ...wrongTypes(),
    ...hostile(['a huge value']),
    { label: 'unknown', value: 'project-nope' },
    { label: 'another kind', value: 'plane:default/dns' },
  ],
  observedAt: [
    ...wrongTypes(),
    { label: 'not a time', value: 'yesterday' },
    { label: 'in the future', value: '2999-01-01T00:00:00Z' },
  ],
  runUrl: [
    ...wrongTypes(),
    { label: 'script link', value: SCRIPT_URL },
    { label: 'traversal', value: '../../etc/passwd' },
  ],
  findings: [...wrongTypes(['a list']), missing],
  providers: [
    ...wrongTypes(['a list', 'null']),
    { label: 'a hostile provider', value: ['$(id)'] },
  ],
  extra: [{ label: 'an unknown field', value: 1 }],
});
const findingFields: Record<string, FieldVariant[]> = {
  provider: [
    ...wrongTypes(),
    missing,
    { label: 'upper case', value: 'Postgres!' },
    { label: 'SQL', value: "pg'; DROP TABLE drift_runs; --" },
  ],
  resource: [
    ...wrongTypes(),
    missing,
    { label: 'huge', value: 'r'.repeat(600) },
  ],
  verdict: [...wrongTypes(), missing, { label: 'RED', value: 'RED' }],
  class: [...wrongTypes(['null']), { label: 'bogus', value: 'bogus' }],
  message: [
    ...wrongTypes(['null']),
    { label: 'huge', value: 'm'.repeat(3000) },
  ],
  declared: [
    { label: 'over 32 KiB of JSON', value: { blob: 'd'.repeat(40_000) } },
  ],
  resourceType: [{ label: 'with spaces', value: 'a b <c>' }],
  surprise: [{ label: 'an unknown field', value: true }],
};
for (const [field, variants] of Object.entries(findingFields)) {
  for (const variant of variants) {
    add('drift', {
      ...runs,
      name: `POST /runs findings[0].${field} ${variant.label} (${show(
        variant.value,
      )})`,
      json: { ...validRun, findings: [withField(finding, field, variant)] },
      status: 400,
      mention: [`findings[0]`],
    });
  }
}
add('drift', {
  ...runs,
  name: 'POST /runs duplicate findings',
  json: { ...validRun, findings: [finding, finding] },
  status: 400,
  mention: ['findings[1]'],
});
add('drift', {
  ...runs,
  name: 'POST /runs neither tenant nor entity',
  json: withField(validRun, 'tenant', missing),
  status: 400,
  mention: ['tenant'],
});
add('drift', {
  ...runs,
  name: 'POST /runs oversized body (11 MB)',
  json: {
    ...validRun,
    findings: [{ ...finding, message: 'x'.repeat(11_000_000) }],
  },
  status: 413,
  mention: ['too large'],
});
const terraform = (query: string) => () => `/api/drift/runs/terraform?${query}`;
const TF_QUERY = 'environment=samakia-dev&entity=plane:minio';
const terraformCases: Array<
  [string, string, unknown, string[], Record<string, string>?]
> = [
  [
    'without an environment',
    'entity=plane:minio',
    { format_version: '1.2' },
    ['environment'],
  ],
  [
    'without tenant or entity',
    'environment=samakia-dev',
    { format_version: '1.2' },
    ['tenant'],
  ],
  [
    'with a hostile entity',
    `environment=samakia-dev&entity=${q('<script>')}`,
    { format_version: '1.2' },
    ['entity'],
  ],
  [
    'with a traversal entity',
    `environment=samakia-dev&entity=${q('../../etc/passwd')}`,
    { format_version: '1.2' },
    ['entity'],
  ],
  [
    'with an unknown parameter',
    `${TF_QUERY}&apply=true`,
    { format_version: '1.2' },
    ['apply'],
  ],
  [
    'with a hostile header',
    'entity=plane:minio',
    { format_version: '1.2' },
    ['environment'],
    { 'X-Drift-Environment': '$(reboot)' },
  ],
  [
    'with a state document',
    TF_QUERY,
    { format_version: '1.0', values: { root_module: {} } },
    ['plan'],
  ],
  [
    'with an errored plan',
    TF_QUERY,
    { format_version: '1.2', errored: true },
    ['errored'],
  ],
  [
    'with format_version 2.0',
    TF_QUERY,
    { format_version: '2.0' },
    ['format_version'],
  ],
  ['with a list body', TF_QUERY, [1, 2], ['plan', 'object']],
  [
    'with resource_drift not a list',
    TF_QUERY,
    { format_version: '1.2', resource_drift: 'yes' },
    ['resource_drift'],
  ],
  [
    'with a bad resource_drift entry',
    TF_QUERY,
    { format_version: '1.2', resource_drift: [{ address: 42 }] },
    ['resource_drift'],
  ],
];
for (const [label, query, json, mention, headers] of terraformCases) {
  add('drift', {
    ...runs,
    name: `POST /runs/terraform ${label}`,
    path: terraform(query),
    json,
    headers,
    status: 400,
    mention,
  });
}
add('drift', {
  ...runs,
  name: 'POST /runs/terraform as text',
  path: terraform(TF_QUERY),
  body: '{"format_version":"1.2"}',
  headers: { 'Content-Type': 'text/plain' },
  status: 400,
  mention: ['Content-Type'],
});
add('drift', {
  ...runs,
  name: 'POST /runs/terraform truncated JSON',
  path: terraform(TF_QUERY),
  body: '{"format_version":"1.2","resource_drift":[',
  headers: { 'Content-Type': 'application/json' },
  status: 400,
  mention: ['JSON'],
});
const driftQueries: Array<[string, string, string]> = [
  ['current', 'tenant', '../../etc/passwd'],
  ['current', 'tenant', 'component:default/postgresql'],
  ['current', 'entity', 'user:default/bea.birds'],
  ['current', 'environment', "prod' OR 1=1"],
  ['current', 'since', '2026-01-01'],
  ['history', 'since', 'last week'],
  ['history', 'limit', '0'],
  ['history', 'limit', 'many'],
  ['history', 'source', 'has spaces <b>'],
  ['history', 'tenant', 'x'.repeat(4000)],
  ['history', 'environment', '😀'],
];
for (const [route, param, value] of driftQueries) {
  add('drift', {
    name: `GET /${route}?${param}=${show(value)}`,
    as: 'operator',
    method: 'GET',
    path: () => `/api/drift/${route}?${param}=${q(value)}`,
    status: 400,
    mention: [param],
  });
}
for (const id of badIds) {
  add('drift', {
    name: `GET /runs/${show(id)}`,
    as: 'operator',
    method: 'GET',
    path: () => `/api/drift/runs/${q(id)}`,
    status: 400,
    mention: ['run id'],
  });
}

// ------------------------------------------------------------ catalog: the Fabric kinds' checks
const dnsPlane = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Plane',
  metadata: { name: 'reliability-plane' },
  spec: {
    type: 'network',
    owner: 'group:default/platform-operators',
    environment: 'samakia-prod',
    failureDomains: ['proxmox1'],
    network: {
      sdnZone: 'zrel',
      vnet: 'vrel',
      vlan: 150,
      cidr: '10.10.150.0/24',
      gatewayVip: '10.10.150.1',
    },
  },
};
const planeBreaks: Array<[string, (p: any) => void, string]> = [
  ['vlan 5000', p => (p.spec.network.vlan = 5000), 'vlan'],
  ['vlan as text', p => (p.spec.network.vlan = 'one hundred'), 'vlan'],
  [
    'a CIDR that does not parse',
    p => (p.spec.network.cidr = '10.10.999.0/24'),
    'cidr',
  ],
  [
    'an injected CIDR',
    p => (p.spec.network.cidr = "10.0.0.0/8'; DROP TABLE x"),
    'cidr',
  ],
  [
    'a gateway outside the CIDR',
    p => (p.spec.network.gatewayVip = '10.10.151.1'),
    'gatewayVip',
  ],
  ['an unknown type', p => (p.spec.type = '<script>'), 'type'],
  ['no owner', p => delete p.spec.owner, 'owner'],
  [
    'failure domains as text',
    p => (p.spec.failureDomains = 'proxmox1'),
    'failureDomains',
  ],
];
for (const [label, mutate, mention] of planeBreaks) {
  const entity = JSON.parse(JSON.stringify(dnsPlane));
  mutate(entity);
  add('catalog', {
    name: `POST /validate-entity Plane with ${label}`,
    as: 'operator',
    method: 'POST',
    path: () => '/api/catalog/validate-entity',
    json: { location: 'url:https://example.com/planes.yaml', entity },
    status: 400,
    mention: [mention],
  });
}
add('catalog', {
  name: 'POST /validate-entity ZakonRule without approval',
  as: 'operator',
  method: 'POST',
  path: () => '/api/catalog/validate-entity',
  json: {
    location: 'url:https://example.com/rules.yaml',
    entity: {
      apiVersion: 'fabric.samakia.io/v1alpha1',
      kind: 'ZakonRule',
      metadata: { name: 'zakon-rel-1' },
      spec: {
        id: 'ZAKON-REL-1',
        status: 'active',
        owner: 'group:default/platform-operators',
      },
    },
  },
  status: 400,
  mention: ['approval'],
});
add('catalog', {
  name: 'POST /validate-entity with a YAML text as the entity',
  as: 'operator',
  method: 'POST',
  path: () => '/api/catalog/validate-entity',
  json: {
    location: 'url:https://example.com/x.yaml',
    entity: 'kind: Plane\n  spec: [',
  },
  status: 400,
  mention: ['object', 'entity'],
});

// ------------------------------------------------------------------ dev-idp: the login form
const loginForms: Array<[string, Record<string, string>, number, string[]]> = [
  ['no username', { password: 'fabric-dev' }, 400, ['username']],
  ['no password', { username: 'bea.birds' }, 400, ['password']],
  [
    'a blank username',
    { username: '   ', password: 'fabric-dev' },
    400,
    ['username'],
  ],
  [
    'a huge username',
    { username: 'u'.repeat(300), password: 'fabric-dev' },
    400,
    ['username'],
  ],
  [
    'a huge password',
    { username: 'bea.birds', password: 'p'.repeat(1200) },
    400,
    ['password'],
  ],
  [
    'an injected username',
    { username: "admin' OR '1'='1' --", password: 'x' },
    401,
    ['username or password'],
  ],
  [
    'an HTML username',
    { username: '<script>alert(1)</script>', password: 'x' },
    401,
    ['username or password'],
  ],
  [
    'a unicode username',
    { username: 'bëa.😀', password: 'fabric-dev' },
    401,
    ['username or password'],
  ],
  [
    'a body over 10 KB',
    { username: 'bea.birds', password: 'p'.repeat(20_000) },
    413,
    ['too large'],
  ],
];

describe('bad input on the real backend (PostgreSQL, own process)', () => {
  const db = pgDatabasePrefix('badinput');
  let backend: BackendProcess;
  let who: Identities;
  let seeded: Seed;
  let before: Record<string, string>;
  let beforeApi: unknown;
  let answered = 0;
  const statuses: Record<string, number> = {};

  const apiView = async () => {
    const list = await call(
      backend.baseUrl,
      who.operator,
      'GET',
      '/api/approvals/proposals',
    );
    const audit = await call(
      backend.baseUrl,
      who.operator,
      'GET',
      '/api/approvals/audit/verify',
    );
    const packets = await call(
      backend.baseUrl,
      who.operator,
      'GET',
      '/api/evidence/packets',
    );
    const history = await call(
      backend.baseUrl,
      who.operator,
      'GET',
      '/api/drift/history?tenant=project-birds',
    );
    return {
      proposals: list.body.items.map((p: any) => [p.id, p.state, p.version]),
      audit: audit.body,
      packets: packets.body.items.map((p: any) => [p.id, p.verdict]),
      runs: history.body.runs?.map((r: any) => r.id) ?? history.body,
    };
  };

  beforeAll(async () => {
    backend = await startBackendProcess({
      databasePrefix: db.prefix,
      label: 'badinput',
      // A small upload limit so the 413 cases stay small.
      extraConfig: { evidence: { upload: { maxBytes: 64 * 1024 } } },
    });
    who = await identities(backend.baseUrl);
    seeded = await seed(backend.baseUrl, who);
    before = await storeSnapshot(db.prefix);
    beforeApi = await apiView();
  });

  afterAll(async () => {
    await backend?.stop();
    await db.drop();
  });

  it(`generates at least 200 cases (${
    cases.length + loginForms.length
  })`, () => {
    // eslint-disable-next-line no-console
    console.log(
      `bad input: ${cases.length} API cases and ${loginForms.length} login form cases`,
    );
    expect(cases.length + loginForms.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await call(
      backend.baseUrl,
      who[c.as],
      c.method,
      c.path(seeded),
      {
        json: c.json,
        body: c.body,
        headers: c.headers,
      },
    );
    answered += 1;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const message: string =
      res.body?.error?.message ??
      res.body?.errors?.map((e: { message: string }) => e.message).join('\n') ??
      res.text;
    const summary = { status: res.status, message: message.slice(0, 600) };
    expect(summary).toMatchObject({ status: c.status ?? res.status });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect({
      mentions: c.mention.some(m =>
        message.toLowerCase().includes(m.toLowerCase()),
      ),
      message: summary.message,
    }).toMatchObject({ mentions: true });
    // The answer names the problem; it does not echo a huge input back.
    expect(message.length).toBeLessThan(4000);
  });

  it.each(loginForms)(
    'dev-idp: the login form with %s',
    async (_label, form, status, mention) => {
      const jar = new CookieJar();
      const login = await browse(
        jar,
        `${backend.baseUrl}/api/auth/oidc/start?env=development&scope=openid%20profile%20email`,
      );
      const res = await browse(jar, formAction(login), {
        method: 'POST',
        form,
      });
      answered += 1;
      expect({
        status: res.res.status,
        body: res.body.slice(0, 300),
      }).toMatchObject({ status });
      // The message is the alert on the re-rendered form (or the JSON error).
      const alert = /<div class="error" role="alert">([^<]*)<\/div>/.exec(
        res.body,
      );
      const text = (alert?.[1] ?? res.body).toLowerCase();
      expect(mention.some(m => text.includes(m.toLowerCase()))).toBe(true);
      expect(res.body.length).toBeLessThan(20_000);
    },
  );

  it('answered every case, stored nothing and stays ready', async () => {
    // eslint-disable-next-line no-console
    console.log(
      `bad input: ${answered} cases answered, by status ${JSON.stringify(
        statuses,
      )}`,
    );
    expect(answered).toBe(cases.length + loginForms.length);
    expect(Object.keys(statuses).filter(s => Number(s) >= 500)).toEqual([]);
    expect(await backend.ready()).toBe(true);
    expect(await storeSnapshot(db.prefix)).toEqual(before);
    expect(await apiView()).toEqual(beforeApi);
    // None of our routers logged an internal error.
    expect(backend.log().match(/^.* failed: .*$/gm) ?? []).toEqual([]);
  });
});
