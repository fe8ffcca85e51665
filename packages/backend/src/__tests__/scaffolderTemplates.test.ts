import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LocalRepositories } from '@internal/plugin-scaffolder-backend-module-fabric';
import { apiCaller } from './support/apiCall';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { devSignIn } from './support/oidcFlow';
import { CI_TOKEN, GpgHome } from '@internal/fabric-test-utils';
import {
  registerKey,
  uploadVerifiedPacket,
} from '../__testUtils__/operatorKeys';

// Every template in templates/ run through the real scaffolder backend of the local default
// profile: dry runs (POST /api/scaffolder/v2/dry-run, as the template editor does) and real runs
// (POST /api/scaffolder/v2/tasks) with users signed in over the real OIDC flow, publishing into
// a local git repository under a temporary fabric.scaffolder.localPublish.dir. The produced
// files, proposals and catalog entities are read back through the public APIs.

jest.setTimeout(600_000);

const ciToken = CI_TOKEN;
const TEMPLATES = [
  'tenant-proposal',
  'new-tenant',
  'new-site',
  'new-zakon-rule',
  'new-runbook',
  'site-rollback',
  'phantom-domain-removal',
  'zakon-rule-publish',
];
const OSCAR_UID = 'Oscar <oscar.operator@samakia.example>';
const GRETA_UID = 'Greta <greta.governance@samakia.example>';

type Json = any;
type DryRunResult = {
  status: number;
  body: Json;
  files: Record<string, string>;
};
type RunResult = {
  status: string;
  output: Json;
  log: string;
};

/** The template file and every file beside it, as the template editor uploads them. */
function templateBundle(name: string) {
  const dir = path.join(repoRoot, 'templates', name);
  const template = parse(
    fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
  );
  const directoryContents = (
    fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]
  )
    .filter(
      f => f !== 'template.yaml' && fs.statSync(path.join(dir, f)).isFile(),
    )
    .map(f => ({
      path: f,
      base64Content: fs.readFileSync(path.join(dir, f)).toString('base64'),
    }));
  return { template, directoryContents };
}

describe('scaffolder templates on the local default profile', () => {
  let backend: Awaited<ReturnType<typeof bootBackend>>;
  let reposDir: string;
  let gpg: GpgHome;
  const tokens: Record<string, string> = {};

  const api = apiCaller(() => backend.baseUrl);

  async function dryRun(
    user: string,
    name: string,
    values: Json,
  ): Promise<DryRunResult> {
    const res = await api(tokens[user], 'POST', '/scaffolder/v2/dry-run', {
      ...templateBundle(name),
      values,
    });
    const files: Record<string, string> = {};
    for (const file of res.body?.directoryContents ?? []) {
      files[file.path] = Buffer.from(file.base64Content, 'base64').toString(
        'utf8',
      );
    }
    return { ...res, files };
  }

  async function run(
    user: string,
    name: string,
    values: Json,
  ): Promise<RunResult> {
    const created = await api(tokens[user], 'POST', '/scaffolder/v2/tasks', {
      templateRef: `template:default/${name}`,
      values,
    });
    if (created.status !== 201) {
      throw new Error(
        `task not created: ${created.status} ${JSON.stringify(created.body)}`,
      );
    }
    const id = created.body.id;
    const task = await waitFor(
      `task ${name}`,
      async () => {
        const res = await api(
          tokens[user],
          'GET',
          `/scaffolder/v2/tasks/${id}`,
        );
        return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
          ? res.body
          : undefined;
      },
      180_000,
    );
    const events = await api(
      tokens[user],
      'GET',
      `/scaffolder/v2/tasks/${id}/events`,
    );
    const completion = events.body.find((e: Json) => e.type === 'completion');
    const log = events.body
      .filter((e: Json) => e.type === 'log')
      .map((e: Json) => e.body.message)
      .join('\n');
    return { status: task.status, output: completion?.body?.output, log };
  }

  /**
   * Runs a template that submits a proposal, expects the run to complete, and reads the proposal
   * back as the same user through the approvals API.
   */
  async function runToProposal(user: string, name: string, values: Json) {
    const result = await run(user, name, values);
    expect(result.status).toBe('completed');
    const url: string = result.output.links[0].url;
    const id = url.split('/').pop()!;
    const view = await api(tokens[user], 'GET', `/approvals/proposals/${id}`);
    expect(view.status).toBe(200);
    return { url, id, proposal: view.body.proposal };
  }

  async function entity(ref: string): Promise<Json | undefined> {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const res = await api(
      tokens.olivia,
      'GET',
      `/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
    return res.status === 200 ? res.body : undefined;
  }

  async function proposals(user: string): Promise<Json[]> {
    return (await api(tokens[user], 'GET', '/approvals/proposals?limit=500'))
      .body.items;
  }

  /** Oscar's approval, signed over the digest with his registered key. */
  async function oscarApproves(id: string) {
    const view = await api(tokens.oscar, 'GET', `/approvals/proposals/${id}`);
    await decide('oscar', id, 'claim');
    await decide('oscar', id, 'approve', {
      comment: 'looks right',
      signature: gpg.sign(OSCAR_UID, view.body.proposal.digest),
    });
  }

  /** Oscar applies, naming a verified packet of the proposal's tenant (every apply needs one). */
  async function oscarApplies(id: string, tenant: string) {
    const evidence = await uploadVerifiedPacket({
      baseUrl: backend.baseUrl,
      gpg,
      signer: OSCAR_UID,
      subject: tenant,
      workDir: backend.tmpDir,
    });
    const applied = await decide('oscar', id, 'apply', {
      reference: 'applied by the scaffolder test',
      evidence,
    });
    expect(applied.body.proposal.state).toBe('applied');
  }

  /** One decision step on a proposal (claim, approve, apply); expects it to succeed. */
  async function decide(user: string, id: string, step: string, body = {}) {
    const res = await api(
      tokens[user],
      'POST',
      `/approvals/proposals/${id}/${step}`,
      body,
    );
    expect([step, res.status]).toEqual([step, 200]);
    return res;
  }

  const repoExists = (name: string) => fs.existsSync(path.join(reposDir, name));

  beforeAll(async () => {
    backend = await bootBackend({
      configs: ['app-config.yaml'],
      extraConfig: ({ tmpDir }) => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        techdocs: {
          publisher: { local: { publishDirectory: `${tmpDir}/techdocs` } },
        },
        fabric: {
          scaffolder: {
            localPublish: {
              dir: `${tmpDir}/repos`,
              registrationTimeout: { seconds: 60 },
            },
          },
        },
      }),
    });
    reposDir = path.join(backend.tmpDir, 'repos');
    // Sign-in resolves users in the catalog, so wait for them (and for the templates).
    await waitFor('the users and templates in the catalog', async () => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=user&filter=kind=template&fields=kind&limit=500`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      const kinds = ((await res.json()).items ?? []).map((e: Json) => e.kind);
      return kinds.filter((k: string) => k === 'User').length >= 10 &&
        kinds.filter((k: string) => k === 'Template').length ===
          TEMPLATES.length
        ? true
        : undefined;
    });
    for (const [key, username] of Object.entries({
      olivia: 'olivia.operator',
      oscar: 'oscar.operator',
      ada: 'ada.admin',
      bea: 'bea.birds',
      greta: 'greta.governance',
    })) {
      tokens[key] = await devSignIn(backend.baseUrl, username);
    }
    // Production approvals are signed and every apply names a packet signed by an operator.
    gpg = new GpgHome();
    await registerKey(backend.baseUrl, gpg, tokens.oscar, OSCAR_UID);
    await registerKey(backend.baseUrl, gpg, tokens.greta, GRETA_UID);
  });

  afterAll(async () => {
    await backend?.stop();
    gpg?.dispose();
  });

  it('lists the fabric actions with descriptions, examples and input schemas', async () => {
    const res = await api(tokens.olivia, 'GET', '/scaffolder/v2/actions');
    const fabric = res.body.filter((a: Json) => a.id.startsWith('fabric:'));
    expect(fabric.map((a: Json) => a.id).sort()).toEqual([
      'fabric:catalog:register',
      'fabric:docs:render',
      'fabric:guarded:run',
      'fabric:permission:check',
      'fabric:proposal:submit',
      'fabric:publish:local',
      'fabric:site:render',
      'fabric:tenant:diff',
      'fabric:tenant:render',
      'fabric:zakon:render',
    ]);
    for (const action of fabric) {
      expect(action.description.length).toBeGreaterThan(50);
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input.type).toBe('object');
      expect(
        Object.keys(action.schema.input.properties).length,
      ).toBeGreaterThan(0);
    }
    // Domain schemas, not loose objects: the quotas of a new tenant are the Tenant quotas.
    const render = fabric.find((a: Json) => a.id === 'fabric:tenant:render');
    expect(render.schema.input.properties.quotas.required).toEqual([
      'cpuCores',
      'memoryGiB',
      'storageGiB',
      'maxDatabases',
      'maxConnections',
    ]);
  });

  describe('tenant proposal', () => {
    it('dry run: shows the difference against the current tenant and submits nothing', async () => {
      const before = (await proposals('olivia')).length;
      const res = await dryRun('bea', 'tenant-proposal', {
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-prod',
        changeType: 'capacity-change',
        quotas: { memoryGiB: 48 },
      });
      expect(res.status).toBe(200);
      expect(res.files['proposal.md']).toContain(
        '| quotas.memoryGiB | 32 | 48 |',
      );
      // Blank quotas keep the tenant's current values.
      expect(res.files['proposal.md']).toContain('cpuCores: 8');
      expect(res.body.output.links[0].url).toMatch(/\/approvals$/);
      expect(res.body.output.text[0].content).toContain(
        '| quotas.memoryGiB | 32 | 48 |',
      );
      expect((await proposals('olivia')).length).toBe(before);
    });

    it('dry run: a binding replace finds the current binding', async () => {
      const res = await dryRun('bea', 'tenant-proposal', {
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-dev',
        changeType: 'binding-change',
        binding: {
          action: 'replace',
          workload: 'api',
          consumer: 'postgres',
          endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
        },
      });
      expect(res.status).toBe(200);
      expect(res.files['proposal.md']).toContain(
        '| binding api → postgres in samakia-dev | postgres-birds-dev.infra.samakia.net:5432 (component:default/samakia-executor-postgres) | postgres-birds-dev2.infra.samakia.net:5432 (component:default/samakia-executor-postgres) |',
      );
      expect(res.files['proposal.md']).toContain('previous:');
    });

    it('real run: submits as the tenant member, the proposal keeps her as requester', async () => {
      const { url, proposal } = await runToProposal('bea', 'tenant-proposal', {
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-prod',
        changeType: 'capacity-change',
        quotas: { memoryGiB: 48, maxConnections: 250 },
        changeRef: 'mr!4242',
      });
      // An app path, so the task page's link opens it in the same tab.
      expect(url).toMatch(/^\/approvals\/proposals\/[0-9a-f-]{36}$/);
      expect(proposal).toMatchObject({
        tenant: 'tenant:default/project-birds',
        type: 'capacity-change',
        environment: 'resource:default/samakia-prod',
        requester: 'user:default/bea.birds',
        changeRef: 'mr!4242',
        state: 'validated',
        change: {
          quotas: {
            cpuCores: 8,
            memoryGiB: 48,
            storageGiB: 500,
            maxDatabases: 4,
            maxConnections: 250,
          },
        },
      });
    });

    it("refuses another tenant's entity and submits nothing", async () => {
      const before = (await proposals('olivia')).length;
      const result = await run('bea', 'tenant-proposal', {
        tenant: 'tenant:default/project-orchard',
        environment: 'resource:default/samakia-prod',
        changeType: 'capacity-change',
        quotas: { cpuCores: 6 },
      });
      expect(result.status).toBe('failed');
      // Refused by the first step, in one sentence: no stack trace, no later step.
      expect(result.log).toContain(
        'You may not use Tenant proposal: it needs the permission approvals.proposal.create on the chosen tenant',
      );
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(result.log).not.toContain('Compare with the tenant');
      expect((await proposals('olivia')).length).toBe(before);
    });

    it('refuses a change that changes nothing', async () => {
      const res = await dryRun('bea', 'tenant-proposal', {
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-prod',
        changeType: 'capacity-change',
        quotas: { memoryGiB: 32 },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('change at least one quota');
    });
  });

  describe('new site', () => {
    it('dry run: the framework decides build command and published folder', async () => {
      const astro = await dryRun('olivia', 'new-site', {
        name: 'alai-dryrun-web',
        domain: 'dryrun.alai.no',
        framework: 'astro',
        owner: 'group:default/web-team',
      });
      expect(astro.status).toBe(200);
      expect(Object.keys(astro.files).sort()).toEqual([
        '.github/workflows/deploy.yml',
        'README.md',
        'astro.config.mjs',
        'catalog-info.yaml',
        'package.json',
        'renovate.json',
        'src/pages/index.astro',
        'wrangler.toml',
      ]);
      const workflow = parse(astro.files['.github/workflows/deploy.yml']);
      const steps = workflow.jobs.deploy.steps;
      expect(steps.map((s: Json) => s.run).filter(Boolean)).toEqual([
        'npm ci',
        'npm run build',
      ]);
      const deploy = steps.find((st: Json) =>
        st.uses?.startsWith('cloudflare/wrangler-action'),
      );
      expect(deploy.with.command).toBe(
        'pages deploy ./dist --project-name=${{ vars.CF_PROJECT_NAME }} --branch=${{ github.head_ref || github.ref_name }}',
      );
      expect(deploy.with.apiToken).toBe('${{ secrets.CLOUDFLARE_API_TOKEN }}');
      // Seed 003's workflow: Node 20 and the preview URL posted on the pull request.
      expect(
        steps.find((st: Json) => st.uses === 'actions/setup-node@v4').with[
          'node-version'
        ],
      ).toBe('20');
      expect(steps.at(-1)).toMatchObject({
        name: 'Comment preview URL on PR',
        if: "github.event_name == 'pull_request'",
        env: { CF_PROJECT_NAME: '${{ vars.CF_PROJECT_NAME }}' },
      });
      expect(steps.at(-1).with.script).toContain('.pages.dev');
      // The one-time Pages project and custom domain steps.
      expect(astro.files['README.md']).toContain(
        'npx wrangler pages project create alai-dryrun-web --production-branch main',
      );
      expect(astro.files['README.md']).toContain(
        'Add the custom domain **dryrun.alai.no**',
      );
      expect(astro.files['wrangler.toml']).toContain(
        'pages_build_output_dir = "dist"',
      );
      expect(JSON.parse(astro.files['package.json']).scripts.build).toBe(
        'astro build',
      );
      expect(JSON.parse(astro.files['renovate.json']).extends).toEqual([
        'config:recommended',
      ]);
      const site = parse(astro.files['catalog-info.yaml']);
      expect(site).toMatchObject({
        kind: 'Component',
        metadata: { name: 'alai-dryrun-web' },
        spec: {
          type: 'website',
          owner: 'group:default/web-team',
          fabric: {
            domain: 'dryrun.alai.no',
            framework: 'astro',
            hostingPlatform: 'cloudflare-pages',
            dnsProvider: 'cloudflare',
          },
        },
      });
      expect(repoExists('alai-dryrun-web')).toBe(false);

      const html = await dryRun('olivia', 'new-site', {
        name: 'client-dryrun-web',
        domain: 'dryrun.example.no',
        framework: 'html',
        owner: 'group:default/web-team',
      });
      expect(html.status).toBe(200);
      expect(html.files['index.html']).toContain('dryrun.example.no');
      const htmlSteps = parse(html.files['.github/workflows/deploy.yml']).jobs
        .deploy.steps;
      expect(htmlSteps.map((s: Json) => s.run).filter(Boolean)).toEqual([]);
      expect(
        htmlSteps.find((st: Json) => st.uses?.startsWith('cloudflare/')).with
          .command,
      ).toMatch(/^pages deploy \.\/ /);
    });

    it('refuses a name outside the naming convention in the form', async () => {
      const res = await dryRun('olivia', 'new-site', {
        name: 'shop-web',
        domain: 'shop.alai.no',
        framework: 'next',
        owner: 'group:default/web-team',
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('does not match pattern');
    });

    it('real run: publishes a local git repository and registers the site', async () => {
      const result = await run('olivia', 'new-site', {
        name: 'alai-testshop-web',
        domain: 'testshop.alai.no',
        framework: 'next',
        owner: 'group:default/web-team',
        title: 'Test shop',
      });
      expect(result.log).not.toContain('error');
      expect(result.status).toBe('completed');
      expect(result.output.links[0].entityRef).toBe(
        'component:default/alai-testshop-web',
      );
      expect(repoExists('alai-testshop-web/.git')).toBe(true);
      const site = await entity('component:default/alai-testshop-web');
      expect(site.spec.fabric).toMatchObject({
        domain: 'testshop.alai.no',
        framework: 'next',
      });
      expect(
        site.metadata.annotations['backstage.io/managed-by-location'],
      ).toBe(
        `file:${fs.realpathSync(reposDir)}/alai-testshop-web/catalog-info.yaml`,
      );
      const repos = await LocalRepositories.create(reposDir);
      expect(await repos.committedFiles('alai-testshop-web')).toEqual([
        '.github/workflows/deploy.yml',
        'README.md',
        'app/layout.jsx',
        'app/page.jsx',
        'catalog-info.yaml',
        'next.config.mjs',
        'package.json',
        'renovate.json',
        'wrangler.toml',
      ]);
    });

    it('refuses a site that already exists, before publishing anything', async () => {
      const result = await run('olivia', 'new-site', {
        name: 'alai-testshop-web',
        domain: 'testshop2.alai.no',
        framework: 'html',
        owner: 'group:default/web-team',
      });
      expect(result.status).toBe('failed');
      expect(result.log).toContain('already exists in the catalog');
    });

    it('is not offered to a tenant member, and cannot be started by one', async () => {
      // Tenant members may not register catalog locations, so New site is not theirs to read:
      // the task is never created and nothing is published.
      const templates = await api(
        tokens.bea,
        'GET',
        '/catalog/entities/by-query?filter=kind=template',
      );
      expect(templates.body.items.map((t: Json) => t.metadata.name)).toEqual([
        'tenant-proposal',
      ]);
      const created = await api(tokens.bea, 'POST', '/scaffolder/v2/tasks', {
        templateRef: 'template:default/new-site',
        values: {
          name: 'client-birdwatch-web',
          domain: 'birdwatch.example.no',
          framework: 'html',
          owner: 'group:default/team-birds',
        },
      });
      expect(created.status).toBe(404);
      expect(repoExists('client-birdwatch-web')).toBe(false);
      expect(
        await entity('component:default/client-birdwatch-web'),
      ).toBeUndefined();
    });
  });

  describe('new tenant', () => {
    const values = {
      name: 'project-wren',
      title: 'Project Wren',
      owner: 'group:default/team-birds',
      environments: ['resource:default/samakia-dev'],
      consumers: [{ provider: 'postgres', variant: 'cluster', enabled: true }],
      quotas: {
        cpuCores: 2,
        memoryGiB: 8,
        storageGiB: 50,
        maxDatabases: 1,
        maxConnections: 50,
      },
      bindings: [
        {
          workload: 'api',
          consumer: 'postgres',
          environment: 'resource:default/samakia-dev',
          endpoint: 'postgres-wren-dev.infra.samakia.net:5432',
        },
      ],
      executeAllowlist: [
        {
          environment: 'resource:default/samakia-dev',
          provider: 'postgres',
          variant: 'cluster',
        },
      ],
    };

    it('dry run: renders the contract files and submits nothing', async () => {
      const before = (await proposals('olivia')).length;
      const res = await dryRun('olivia', 'new-tenant', values);
      expect(res.status).toBe(200);
      expect(Object.keys(res.files).sort()).toEqual([
        'README.md',
        'bindings.yml',
        'capacity.yml',
        'catalog-info.yaml',
        'tenant.yml',
      ]);
      expect(parse(res.files['capacity.yml'])).toEqual({
        tenant: 'project-wren',
        quotas: values.quotas,
      });
      expect(parse(res.files['bindings.yml']).bindings).toEqual(
        values.bindings,
      );
      expect(parse(res.files['tenant.yml'])).toMatchObject({
        owner: 'group:default/team-birds',
        consumers: values.consumers,
        executeAllowlist: values.executeAllowlist,
      });
      const tenant = parse(res.files['catalog-info.yaml']);
      expect(tenant.kind).toBe('Tenant');
      expect(tenant.metadata.annotations['fabric.samakia.io/proposal-id']).toBe(
        'dry-run',
      );
      expect((await proposals('olivia')).length).toBe(before);
    });

    it('refuses an invalid tenant before submitting a proposal', async () => {
      const before = (await proposals('olivia')).length;
      const result = await run('olivia', 'new-tenant', {
        ...values,
        name: 'project-finch',
        consumers: [
          { provider: 'postgres', variant: 'cluster', enabled: false },
        ],
      });
      expect(result.status).toBe('failed');
      expect(result.log).toContain("consumer 'postgres' is disabled");
      expect((await proposals('olivia')).length).toBe(before);
      expect(repoExists('tenant-project-finch')).toBe(false);
    });

    it('real run: proposal and contract, and the tenant is active only once applied', async () => {
      const { id, proposal } = await runToProposal(
        'olivia',
        'new-tenant',
        values,
      );
      expect(proposal).toMatchObject({
        type: 'new-tenant',
        tenant: 'tenant:default/project-wren',
        environment: 'resource:default/samakia-dev',
        requester: 'user:default/olivia.operator',
        state: 'validated',
      });
      const catalogInfo = parse(
        fs.readFileSync(
          path.join(reposDir, 'tenant-project-wren/catalog-info.yaml'),
          'utf8',
        ),
      );
      expect(
        catalogInfo.metadata.annotations['fabric.samakia.io/proposal-id'],
      ).toBe(id);

      // Pending: not in the catalog, even after the proposal provider has run.
      await new Promise(r => setTimeout(r, 12_000));
      expect(await entity('tenant:default/project-wren')).toBeUndefined();

      await oscarApproves(id);
      await oscarApplies(id, 'project-wren');
      const tenant = await waitFor(
        'the applied tenant in the catalog',
        () => entity('tenant:default/project-wren'),
        60_000,
      );
      expect(tenant.metadata.annotations['fabric.samakia.io/proposal-id']).toBe(
        id,
      );
      expect(tenant.spec.quotas).toEqual(values.quotas);
      expect(
        tenant.relations.map((r: Json) => `${r.type} ${r.targetRef}`),
      ).toEqual(expect.arrayContaining(['ownedBy group:default/team-birds']));
      // The owner group's members see their new tenant.
      const asBea = await api(
        tokens.bea,
        'GET',
        '/catalog/entities/by-name/tenant/default/project-wren',
      );
      expect(asBea.status).toBe(200);
    });
  });

  describe('new ZAKON rule', () => {
    const values = {
      id: 'cost-ceiling',
      title: 'ZAKON: cost ceiling',
      description: 'Multi-week projects stay under an agreed cost ceiling.',
      owner: 'group:default/platform-operators',
      trackingTask: 'MC-100500',
      inScope: ['**/COST-PLAN.md'],
      escapeValveVariable: 'COST_CEILING_OVERRIDE',
      enforcement: ['registry-gate', 'nightly-daemon'],
    };

    it('dry run: an approved-pending-author entry without approval fields', async () => {
      const res = await dryRun('olivia', 'new-zakon-rule', values);
      expect(res.status).toBe(200);
      const rule = parse(res.files['catalog-info.yaml']);
      expect(rule).toMatchObject({
        kind: 'ZakonRule',
        metadata: { name: 'cost-ceiling' },
        spec: {
          id: 'cost-ceiling',
          ruleFile: 'rules/zakon-cost-ceiling.md',
          trackingTask: 'MC-100500',
          status: 'approved-pending-author',
          escapeValve: { variable: 'COST_CEILING_OVERRIDE' },
        },
      });
      expect(rule.spec.approvalToken).toBeUndefined();
      expect(JSON.parse(res.files['zakon-registry-entry.json'])).toMatchObject({
        zakon_id: 'cost-ceiling',
        status: 'approved-pending-author',
        ceo_approved_token: null,
      });
      expect(res.files['rules/zakon-cost-ceiling.md']).toBeUndefined();
    });

    it('real run: the rule becomes active (approved-pending-author) only after approval', async () => {
      const { id, proposal } = await runToProposal(
        'olivia',
        'new-zakon-rule',
        values,
      );
      expect(proposal).toMatchObject({
        type: 'new-rule',
        environment: 'resource:default/samakia-prod',
        requester: 'user:default/olivia.operator',
        changeRef: 'MC-100500',
        state: 'validated',
      });
      expect(repoExists('zakon-cost-ceiling/zakon-registry-entry.json')).toBe(
        true,
      );
      expect(await entity('zakonrule:default/cost-ceiling')).toBeUndefined();

      // The governance member (her key registered in beforeAll with a signed challenge) gives
      // the [CEO_APPROVED] decision: a signed approval over the proposal digest. With an
      // operator's signed approval that makes the two production approvals; an operator applies.
      await oscarApproves(id);
      await decide('greta', id, 'claim');
      await decide('greta', id, 'approve', {
        comment: 'approved',
        signature: gpg.sign(GRETA_UID, proposal.digest),
      });
      await oscarApplies(id, 'platform');
      const rule = await waitFor(
        'the applied rule in the catalog',
        () => entity('zakonrule:default/cost-ceiling'),
        60_000,
      );
      expect(rule.spec).toMatchObject({
        status: 'approved-pending-author',
        approvalToken: '[CEO_APPROVED]',
        trackingTask: 'MC-100500',
        approvalMethod: expect.stringMatching(
          new RegExp(
            `^signed approval by user:default/greta\\.governance \\(key [0-9A-F]{40}\\), proposal ${id}$`,
          ),
        ),
      });
      expect(rule.spec.approvalDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    const sha = 'ab'.repeat(32);

    it('publish template: refused for an active rule, and nothing is left open', async () => {
      const result = await run('olivia', 'zakon-rule-publish', {
        name: 'blueprint-enforcement',
        publishedSha256: sha,
        trackingTask: 'MC-100501',
      });
      expect(result.status).toBe('failed');
      expect(result.log).toContain(
        'ZAKON rule blueprint-enforcement has status active',
      );
      const filed = (await proposals('olivia')).filter(
        (p: Json) =>
          p.type === 'rule-publish' &&
          p.change.name === 'blueprint-enforcement',
      );
      expect(filed.map((p: Json) => p.state)).toEqual(['rejected']);
    });

    it('publish template: files the rule-publish proposal of the approved rule', async () => {
      // Runs after the real run above: cost-ceiling is approved-pending-author in the catalog.
      const { proposal } = await runToProposal('olivia', 'zakon-rule-publish', {
        name: 'cost-ceiling',
        publishedSha256: sha,
        trackingTask: 'MC-100500',
      });
      expect(proposal).toMatchObject({
        type: 'rule-publish',
        tenant: 'tenant:default/platform',
        environment: 'resource:default/samakia-prod',
        requester: 'user:default/olivia.operator',
        changeRef: 'MC-100500',
        change: { name: 'cost-ceiling', publishedSha256: sha },
        state: 'validated',
      });
    });
  });

  describe('new runbook', () => {
    it('dry run: a TechDocs site with the chosen documents for the entity', async () => {
      const res = await dryRun('olivia', 'new-runbook', {
        entity: 'plane:default/minio',
        documents: ['dr-plan', 'monitoring'],
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.files).sort()).toEqual([
        'catalog-info.yaml',
        'docs/dr-plan.md',
        'docs/index.md',
        'docs/monitoring.md',
        'mkdocs.yml',
      ]);
      const mkdocs = parse(res.files['mkdocs.yml']);
      expect(mkdocs.nav).toEqual([
        { Overview: 'index.md' },
        { 'Monitoring and observability': 'monitoring.md' },
        { 'Disaster recovery plan': 'dr-plan.md' },
      ]);
      expect(res.files['docs/dr-plan.md']).toContain(
        '`plane:default/minio` (Plane)',
      );
      expect(res.files['docs/dr-plan.md']).not.toContain('${{');
      const resource = parse(res.files['catalog-info.yaml']);
      expect(resource).toMatchObject({
        kind: 'Resource',
        metadata: {
          name: 'minio-docs',
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        },
        spec: { type: 'runbook', dependencyOf: ['plane:default/minio'] },
      });
    });

    it('real run: registered, and listed as a dependency of the entity', async () => {
      const result = await run('olivia', 'new-runbook', {
        entity: 'component:default/alai-home-web',
        documents: ['deployment-architecture', 'ci-cd'],
        name: 'alai-home-web-design',
      });
      expect(result.status).toBe('completed');
      const docs = await entity('resource:default/alai-home-web-design');
      expect(docs.spec.type).toBe('runbook');
      const docsDir = path.join(reposDir, 'alai-home-web-design');
      expect(fs.readdirSync(path.join(docsDir, 'docs')).sort()).toEqual([
        'ci-cd.md',
        'deployment-architecture.md',
        'index.md',
      ]);
      await waitFor('the dependency on the site', async () => {
        const site = await entity('component:default/alai-home-web');
        return site.relations.some(
          (r: Json) =>
            r.type === 'dependsOn' &&
            r.targetRef === 'resource:default/alai-home-web-design',
        )
          ? true
          : undefined;
      });
    });
  });

  it('every template entity in the catalog parses as a v1beta3 template with the fabric steps', async () => {
    for (const name of TEMPLATES) {
      const template = await entity(`template:default/${name}`);
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(
        template.spec.steps.some((s: Json) => s.action.startsWith('fabric:')),
      ).toBe(true);
    }
  });
});
