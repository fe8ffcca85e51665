import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { newTenantChangeSchema } from '@internal/plugin-approvals-common';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_TENANT,
  FABRIC_LABEL_TENANT,
  TenantEntity,
  canonicalFabricRef,
  tenantEntitySchema,
  tenantSpecSchema,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { ApprovalsRulesApi } from '@internal/plugin-approvals-node';
import { UserCatalog } from '../lib/catalog';
import { LocalRepositories } from '../lib/localRepos';
import { checkRepoName } from '../lib/repoChecks';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import { toYaml, writeWorkspaceFile } from '../lib/workspace';

const spec = tenantSpecSchema.shape;

const inputSchema = z.strictObject({
  name: newTenantChangeSchema.shape.name.describe(
    'Tenant id, e.g. project-wren',
  ),
  title: blankAsUndefined(z.string().trim().min(1).max(100)),
  description: blankAsUndefined(z.string().trim().min(1).max(1000)),
  owner: spec.owner,
  environments: spec.environments,
  consumers: spec.consumers,
  quotas: spec.quotas,
  bindings: blankAsUndefined(spec.bindings.unwrap()),
  executeAllowlist: blankAsUndefined(spec.executeAllowlist.unwrap()),
  drTestCases: blankAsUndefined(spec.drTestCases.unwrap()),
});

const outputSchema = z.object({
  tenantRef: z.string(),
  repoName: z.string().describe('Repository for the tenant contract'),
  approvalEnvironment: z
    .string()
    .describe('The environment whose approval rules the proposal follows'),
  change: z
    .record(z.string(), z.unknown())
    .describe('The new-tenant change for fabric:proposal:submit'),
});

const HOLDER = { metadata: { namespace: 'default' } };

export function createTenantRenderAction(deps: {
  catalog: CatalogService;
  /** The approvals backend's rules (approvals-node), so the choice matches what it enforces. */
  rules: Pick<ApprovalsRulesApi, 'strictest' | 'configuredEnvironments'>;
  localRepos?: LocalRepositories;
}) {
  return createFabricAction({
    id: 'fabric:tenant:render',
    description:
      'Renders a new tenant: the tenant contract (tenant.yml), its capacity (capacity.yml), its bindings (bindings.yml) and the Tenant catalog entity (catalog-info.yaml), validated with the Tenant schema and checked against the catalog (the tenant must not exist yet; the owner group and environments must). It does not register anything: the tenant becomes active when its new-tenant proposal is approved and applied.',
    examples: [
      {
        description: 'A tenant with one PostgreSQL cluster in dev',
        example: toYaml({
          steps: [
            {
              id: 'render',
              action: 'fabric:tenant:render',
              input: {
                name: 'project-wren',
                owner: 'group:default/team-birds',
                environments: ['samakia-dev'],
                consumers: [
                  { provider: 'postgres', variant: 'cluster', enabled: true },
                ],
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
                    environment: 'samakia-dev',
                    endpoint: 'postgres-wren-dev.infra.samakia.net:5432',
                  },
                ],
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const tenantSpec = {
        owner: input.owner,
        environments: input.environments,
        consumers: input.consumers,
        quotas: input.quotas,
        ...(input.bindings?.length ? { bindings: input.bindings } : {}),
        ...(input.executeAllowlist?.length
          ? { executeAllowlist: input.executeAllowlist }
          : {}),
        ...(input.drTestCases?.length
          ? { drTestCases: input.drTestCases }
          : {}),
      };
      const entity = parseOrThrow(
        tenantEntitySchema,
        {
          apiVersion: FABRIC_API_VERSION,
          kind: FABRIC_KIND_TENANT,
          metadata: {
            name: input.name,
            ...(input.title ? { title: input.title } : {}),
            ...(input.description ? { description: input.description } : {}),
            tags: ['tenant', ...new Set(input.consumers.map(c => c.provider))],
            // The tenancy rule hides a Tenant by its kind already; the label keeps the catalog's
            // "entities of tenant X" filter one query for everything a tenant owns.
            labels: { [FABRIC_LABEL_TENANT]: input.name },
          },
          spec: tenantSpec,
        },
        `The new tenant ${input.name}`,
      ) as TenantEntity;

      const catalog = await UserCatalog.ofTask(deps.catalog, ctx);
      const tenantRef = `tenant:default/${input.name}`;
      if (await catalog.exists(tenantRef)) {
        throw new ConflictError(
          `Tenant ${input.name} already exists; choose another id, or propose a binding or capacity change to it`,
        );
      }
      const missing: string[] = [];
      const owner = canonicalFabricRef(input.owner, 'Group', HOLDER);
      if (!(await catalog.exists(owner))) {
        missing.push(
          `owner: ${input.owner} is not a group in the catalog; pick the team that will own the tenant`,
        );
      }
      for (const env of input.environments) {
        if (
          !(await catalog.exists(canonicalFabricRef(env, 'Resource', HOLDER)))
        ) {
          missing.push(
            `environments: ${env} is not an environment in the catalog; pick a catalogued environment`,
          );
        }
      }
      for (const binding of input.bindings ?? []) {
        if (
          binding.service &&
          !(await catalog.exists(
            canonicalFabricRef(binding.service, 'Component', HOLDER),
          ))
        ) {
          missing.push(
            `bindings: service ${binding.service} is not in the catalog; bind to a catalogued service or leave it out`,
          );
        }
      }
      if (missing.length) {
        throw new InputError(
          `The new tenant ${
            input.name
          } refers to things the catalog does not have:\n${missing
            .map(m => `- ${m}`)
            .join('\n')}`,
        );
      }

      await checkRepoName(`tenant-${input.name}`, deps.localRepos);
      const approvalEnvironment = await deps.rules.strictest(
        input.environments,
      );
      const header = `Tenant ${input.name}. It becomes active in the catalog only when its new-tenant proposal\n(annotation fabric.samakia.io/proposal-id) is approved and applied; do not register this file.`;
      await writeWorkspaceFile(
        ctx.workspacePath,
        'catalog-info.yaml',
        toYaml(entity, header),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'tenant.yml',
        toYaml(
          {
            tenant: input.name,
            owner: entity.spec.owner,
            environments: entity.spec.environments,
            consumers: entity.spec.consumers,
            executeAllowlist: entity.spec.executeAllowlist ?? [],
            drTestCases: entity.spec.drTestCases ?? [],
          },
          `Tenant contract: tenant = project binding (owner, environments, consumers, execute allowlist).`,
        ),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'capacity.yml',
        toYaml(
          { tenant: input.name, quotas: entity.spec.quotas },
          'Capacity guardrails, checked before any apply or DR execute.',
        ),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'bindings.yml',
        toYaml(
          { tenant: input.name, bindings: entity.spec.bindings ?? [] },
          'Workload-to-substrate bindings (contract only: no secrets, no provisioning).',
        ),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'README.md',
        [
          `# ${input.title ?? input.name}`,
          '',
          input.description ?? `Tenant contract of ${input.name}.`,
          '',
          '| File | What |',
          '| --- | --- |',
          '| `tenant.yml` | owner, environments, consumers and their variants, execute allowlist, DR test cases |',
          '| `capacity.yml` | capacity quotas |',
          '| `bindings.yml` | bindings of workloads to substrate endpoints |',
          '| `catalog-info.yaml` | the Tenant entity as proposed |',
          '',
          'The tenant is created through a new-tenant proposal: it becomes active in the Fabric Portal',
          `catalog once an operator has approved and applied that proposal (approval rules of ${approvalEnvironment}).`,
          'Later changes go through binding-change and capacity-change proposals, never a direct edit.',
          '',
        ].join('\n'),
      );
      output({
        tenantRef,
        repoName: `tenant-${input.name}`,
        approvalEnvironment,
        change: { name: input.name, spec: entity.spec },
      });
    },
  });
}
