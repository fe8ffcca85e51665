import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import {
  LocalRepositories,
  createCatalogRegisterAction,
  createDocsRenderAction,
  createProposalSubmitAction,
  createPublishLocalAction,
  createSiteRenderAction,
  createTenantDiffAction,
  createTenantRenderAction,
  createZakonRenderAction,
} from '@internal/plugin-scaffolder-backend-module-fabric';
import {
  FieldVariant,
  hostile,
  missing,
  show,
  withField,
  wrongTypes,
} from './support/badInput';

// Bad input for every fabric:* scaffolder action, run directly through its handler as the
// scaffolder would run a step: each case must fail with an InputError (the scaffolder's 400)
// naming the field, before the action writes a file, publishes a repository, registers a location
// or submits a proposal. The catalog is the repository's catalog/ (read-only here).

const catalog = catalogServiceMock({ entities: loadRepoCatalog() });
// The approvals rules as the render actions read them (approvals-node); bad input fails first.
const rules = {
  configuredEnvironments: async () => ['samakia-prod', 'samakia-dev'],
  strictest: async (environments: string[]) => environments[0],
};

const submitted: unknown[] = [];
const approvals = {
  async submit(submission: unknown) {
    submitted.push(submission);
    throw new Error('a bad input reached the approvals backend');
  },
} as unknown as Parameters<typeof createProposalSubmitAction>[0]['approvals'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-actions-'));
const reposDir = path.join(tmp, 'repos');
const workspace = path.join(tmp, 'workspace');
const ENTITY_FILE = 'catalog-info.yaml';
const ENTITY_YAML = 'apiVersion: backstage.io/v1alpha1\nkind: Component\n';

/** What an action may touch: the workspace and the local repositories, listed recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(d => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

interface ActionCase {
  action: string;
  name: string;
  input: unknown;
  mention: string;
}

type Fields = Record<string, FieldVariant[]>;

const refVariants = (except: string[] = []) => [
  ...wrongTypes(),
  ...hostile(['a huge value', ...except]),
  { label: 'a huge value', value: 'x'.repeat(100_000) },
  missing,
];
const optionalText = [
  { label: 'a number', value: 42 },
  { label: 'a list', value: ['x'] },
  { label: 'a huge value', value: 't'.repeat(100_000) },
];

const bases: Record<string, [Record<string, unknown>, Fields]> = {
  'fabric:tenant:diff': [
    {
      tenant: 'project-birds',
      environment: 'samakia-dev',
      changeType: 'capacity-change',
      quotas: { cpuCores: 8 },
    },
    {
      tenant: refVariants(),
      environment: refVariants(),
      changeType: [...wrongTypes(), ...hostile(), missing],
      title: optionalText,
      quotas: [
        { label: 'a text', value: 'lots' },
        { label: 'a negative quota', value: { cpuCores: -1 } },
        { label: 'an injected quota', value: { cpuCores: '8; rm -rf /' } },
      ],
      binding: [{ label: 'a text', value: 'api->postgres' }],
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:tenant:render': [
    {
      name: 'project-wren',
      owner: 'group:default/team-birds',
      environments: ['samakia-dev'],
      consumers: [{ provider: 'postgres', variant: 'cluster', enabled: true }],
      quotas: {
        cpuCores: 2,
        memoryGiB: 8,
        storageGiB: 50,
        maxDatabases: 1,
        maxConnections: 50,
      },
    },
    {
      name: [...wrongTypes(), ...hostile(), missing],
      owner: refVariants(),
      environments: [
        ...wrongTypes(['a list']),
        { label: 'a traversal', value: ['../../etc'] },
      ],
      consumers: [
        ...wrongTypes(['a list']),
        {
          label: 'an unknown provider',
          value: [{ provider: 'oracle', variant: 'single', enabled: true }],
        },
      ],
      quotas: [...wrongTypes(['an object']), missing],
      title: optionalText,
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:site:render': [
    {
      name: 'client-acme-web',
      owner: 'group:default/web-team',
      domain: 'acme.example.no',
      framework: 'next',
    },
    {
      name: [...wrongTypes(), ...hostile(), missing],
      owner: refVariants(),
      domain: [...wrongTypes(), ...hostile(), missing],
      framework: [...wrongTypes(), ...hostile(), missing],
      lifecycle: [{ label: 'bogus', value: 'forever' }],
      hostingPlatform: [{ label: 'HTML', value: '<b>x</b>' }],
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:zakon:render': [
    {
      id: 'cost-ceiling',
      owner: 'group:default/platform-operators',
      trackingTask: 'MC-100500',
      inScope: ['**/COST-PLAN.md'],
      enforcement: ['registry-gate', 'nightly-daemon'],
    },
    {
      id: [...wrongTypes(), ...hostile(), missing],
      owner: refVariants(),
      trackingTask: [...wrongTypes(), ...hostile(), missing],
      inScope: [...wrongTypes(['a list']), missing],
      enforcement: [
        ...wrongTypes(['a list']),
        { label: 'an unknown layer', value: ['rm -rf /'] },
      ],
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:docs:render': [
    { entity: 'plane:default/minio', documents: ['dr-plan', 'monitoring'] },
    {
      entity: [...wrongTypes(), { label: 'empty', value: '' }, missing],
      documents: [
        ...wrongTypes(['a list']),
        { label: 'none', value: [] },
        { label: 'a traversal', value: ['../../etc/passwd'] },
        { label: 'twice', value: ['dr-plan', 'dr-plan'] },
      ],
      name: hostile(['empty']),
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:proposal:submit': [
    {
      tenant: 'project-birds',
      type: 'other',
      environment: 'samakia-dev',
      title: 'A proposal',
      change: { description: 'A proposal' },
    },
    {
      tenant: refVariants(),
      environment: refVariants(),
      type: [...wrongTypes(), ...hostile(), missing],
      title: [
        ...wrongTypes(),
        missing,
        { label: 'huge', value: 't'.repeat(10_000) },
      ],
      change: [...wrongTypes(['an object']), missing],
      changeRef: hostile(['empty']),
      supersedes: hostile(['empty']),
      recordIn: [
        { label: 'a traversal', value: '../../../etc/passwd' },
        { label: 'an absolute path', value: '/etc/passwd' },
      ],
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:publish:local': [
    { repoName: 'reliability-repo' },
    {
      repoName: [...wrongTypes(), ...hostile(), missing],
      sourcePath: [
        { label: 'a traversal', value: '../../..' },
        { label: 'an absolute path', value: '/etc' },
      ],
      commitMessage: optionalText,
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
  'fabric:catalog:register': [
    { repoName: 'reliability-repo' },
    {
      repoName: [...wrongTypes(), ...hostile(), missing],
      removeRepoOnFailure: wrongTypes(['true']),
      extra: [{ label: 'an unknown field', value: 1 }],
    },
  ],
};

const cases: ActionCase[] = [];
for (const [action, [base, fields]] of Object.entries(bases)) {
  for (const [field, variants] of Object.entries(fields)) {
    for (const variant of variants) {
      cases.push({
        action,
        name: `${action} ${field} ${variant.label} (${show(variant.value)})`,
        input: withField(base, field, variant),
        mention: field,
      });
    }
  }
  for (const [label, input] of [
    ['no input at all', {}],
    ['a list as input', [base]],
  ] as Array<[string, unknown]>) {
    cases.push({ action, name: `${action} ${label}`, input, mention: 'input' });
  }
}

describe('fabric:* scaffolder actions refuse bad input', () => {
  let actions: Record<string, { handler(ctx: unknown): Promise<void> }>;
  let before: { workspace: string[]; repos: string[] };

  beforeAll(async () => {
    const localRepos = await LocalRepositories.create(reposDir);
    const list = [
      createTenantDiffAction({ catalog }),
      createTenantRenderAction({ catalog, rules, localRepos }),
      createSiteRenderAction({ catalog, localRepos }),
      createZakonRenderAction({ catalog, rules, localRepos }),
      createDocsRenderAction({ catalog, localRepos }),
      createProposalSubmitAction({
        approvals,
        appBaseUrl: 'http://localhost:3000',
      }),
      createPublishLocalAction({ localRepos }),
      createCatalogRegisterAction({
        catalog,
        auth: mockServices.auth(),
        localRepos,
        timeoutMs: 1000,
      }),
    ];
    actions = Object.fromEntries(list.map(a => [a.id, a as any]));
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, ENTITY_FILE), ENTITY_YAML);
    before = { workspace: filesUnder(workspace), repos: filesUnder(reposDir) };
  });

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`covers every action with generated cases (${cases.length})`, () => {
    // eslint-disable-next-line no-console
    console.log(`scaffolder actions: ${cases.length} bad input cases`);
    expect(Object.keys(actions).sort()).toEqual(Object.keys(bases).sort());
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const userRef = 'user:default/olivia.operator';
    const ctx = {
      input: c.input,
      workspacePath: workspace,
      logger: mockServices.logger.mock(),
      output: jest.fn(),
      checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
      createTemporaryDirectory: async () =>
        fs.promises.mkdtemp(path.join(tmp, 'step-')),
      getInitiatorCredentials: async () => mockCredentials.user(userRef),
      user: { ref: userRef },
      isDryRun: false,
      task: { id: 'reliability-task' },
      templateInfo: { entityRef: 'template:default/reliability' },
    };
    const error = await actions[c.action].handler(ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeDefined();
    expect({
      name: error!.name,
      message: error!.message.slice(0, 500),
    }).toEqual({
      name: 'InputError',
      message: expect.stringContaining(c.mention),
    });
    expect(error!.message.length).toBeLessThan(4000);
    expect(ctx.output).not.toHaveBeenCalled();
    // Nothing written, published or submitted.
    expect(filesUnder(workspace)).toEqual(before.workspace);
    expect(fs.readFileSync(path.join(workspace, ENTITY_FILE), 'utf8')).toBe(
      ENTITY_YAML,
    );
    expect(filesUnder(reposDir)).toEqual(before.repos);
    expect(submitted).toEqual([]);
  });
});
