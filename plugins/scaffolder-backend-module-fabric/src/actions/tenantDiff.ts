import { InputError, NotFoundError } from '@backstage/errors';
import {
  bindingChangeSchema,
  environmentRefSchema,
  tenantRefSchema,
} from '@internal/plugin-approvals-common';
import {
  TenantBinding,
  TenantQuotas,
  tenantBindingSchema,
  tenantEntitySchema,
  tenantQuotasSchema,
  tryCanonicalFabricRef,
} from '@internal/plugin-fabric-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { UserCatalog } from '../lib/catalog';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import { toYaml, writeWorkspaceFile } from '../lib/workspace';

const quotaKeys = Object.keys(tenantQuotasSchema.shape) as Array<
  keyof TenantQuotas
>;

const inputSchema = z.strictObject({
  tenant: tenantRefSchema.describe('The tenant to change, e.g. project-birds'),
  environment: environmentRefSchema.describe(
    'Target environment of the proposal; a binding change binds in this environment',
  ),
  changeType: z.enum(['binding-change', 'capacity-change']),
  title: blankAsUndefined(
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('Proposal title; generated when blank'),
  ),
  binding: z
    .strictObject({
      action: bindingChangeSchema.shape.action,
      workload: tenantBindingSchema.shape.workload,
      consumer: tenantBindingSchema.shape.consumer,
      endpoint: blankAsUndefined(tenantBindingSchema.shape.endpoint),
      service: blankAsUndefined(tenantBindingSchema.shape.service.unwrap()),
    })
    .optional()
    .describe(
      'The binding to add, replace or remove; replace and remove find the current binding by workload, consumer and environment',
    ),
  quotas: z
    .strictObject({
      cpuCores: blankAsUndefined(tenantQuotasSchema.shape.cpuCores),
      memoryGiB: blankAsUndefined(tenantQuotasSchema.shape.memoryGiB),
      storageGiB: blankAsUndefined(tenantQuotasSchema.shape.storageGiB),
      maxDatabases: blankAsUndefined(tenantQuotasSchema.shape.maxDatabases),
      maxConnections: blankAsUndefined(tenantQuotasSchema.shape.maxConnections),
    })
    .optional()
    .describe('New quotas; a blank quota keeps its current value'),
});

const outputSchema = z.object({
  tenantRef: z.string(),
  title: z.string(),
  change: z
    .record(z.string(), z.unknown())
    .describe('The change for fabric:proposal:submit'),
  summary: z
    .string()
    .describe('Markdown table of current and requested values'),
  changedFields: z.array(z.string()),
});

type Row = { field: string; current: string; requested: string };

const show = (value: unknown) =>
  value === undefined || value === '' ? '—' : String(value);

function describeBinding(b: {
  workload: string;
  consumer: string;
  environment: string;
}) {
  return `${b.workload} → ${b.consumer} in ${b.environment}`;
}

function markdown(tenantRef: string, environment: string, rows: Row[]) {
  return [
    `**Tenant** ${tenantRef} · **Environment** ${environment}`,
    '',
    '| Field | Current | Requested |',
    '| --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.field} | ${r.current.replace(
          /\|/g,
          '\\|',
        )} | ${r.requested.replace(/\|/g, '\\|')} |`,
    ),
  ].join('\n');
}

export function createTenantDiffAction(deps: { catalog: CatalogService }) {
  return createFabricAction({
    id: 'fabric:tenant:diff',
    description:
      "Prepares a binding or capacity change against the tenant's current catalog entity (read as the signed-in user): blank quotas keep their current values, replace and remove find the current binding, and the tenant as it would be after the change must still be valid. Outputs the change for fabric:proposal:submit and a table of current and requested values; fails when nothing would change.",
    examples: [
      {
        description: 'Raise one quota, keep the others',
        example: toYaml({
          steps: [
            {
              id: 'diff',
              action: 'fabric:tenant:diff',
              input: {
                tenant: 'project-birds',
                environment: 'samakia-prod',
                changeType: 'capacity-change',
                quotas: { memoryGiB: 48 },
              },
            },
          ],
        }),
      },
      {
        description: 'Point an existing binding at a new endpoint',
        example: toYaml({
          steps: [
            {
              id: 'diff',
              action: 'fabric:tenant:diff',
              input: {
                tenant: 'project-birds',
                environment: 'samakia-dev',
                changeType: 'binding-change',
                binding: {
                  action: 'replace',
                  workload: 'api',
                  consumer: 'postgres',
                  endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
                },
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const catalog = new UserCatalog(
        deps.catalog,
        await ctx.getInitiatorCredentials(),
      );
      const entity = await catalog.get(input.tenant);
      if (!entity) {
        throw new NotFoundError(
          `${input.tenant} is not in the catalog, or is not one of your tenants; pick one of the tenants your group owns`,
        );
      }
      const tenant = parseOrThrow(
        tenantEntitySchema,
        entity,
        `The current entity of ${input.tenant}`,
      );
      const envName = (value: string) =>
        tryCanonicalFabricRef(value, 'Resource', tenant) ?? value;
      const target = envName(input.environment);
      // Keep the tenant's own spelling of the environment (usually the bare name).
      const environmentAsWritten =
        tenant.spec.environments.find(e => envName(e) === target) ??
        input.environment;
      if (!tenant.spec.environments.some(e => envName(e) === target)) {
        throw new InputError(
          `${input.tenant} does not run in ${
            input.environment
          } (its environments: ${tenant.spec.environments.join(
            ', ',
          )}); pick one of them`,
        );
      }

      const rows: Row[] = [];
      let change: Record<string, unknown>;
      let nextSpec = tenant.spec;
      let title: string;

      if (input.changeType === 'capacity-change') {
        const requested = { ...tenant.spec.quotas };
        for (const key of quotaKeys) {
          const value = input.quotas?.[key];
          if (value !== undefined && value !== requested[key]) {
            rows.push({
              field: `quotas.${key}`,
              current: show(tenant.spec.quotas[key]),
              requested: show(value),
            });
            (requested as Record<string, unknown>)[key] = value;
          }
        }
        if (rows.length === 0) {
          throw new InputError(
            `The requested quotas equal the current quotas of ${input.tenant}; change at least one quota`,
          );
        }
        change = { quotas: requested };
        nextSpec = { ...tenant.spec, quotas: requested };
        title = `Capacity change for ${
          tenant.metadata.name
        } in ${environmentAsWritten}: ${rows
          .map(
            r =>
              `${r.field.replace('quotas.', '')} ${r.current} → ${r.requested}`,
          )
          .join(', ')}`;
      } else {
        if (!input.binding) {
          throw new InputError(
            'binding is missing; a binding change names the workload, the consumer and (to add or replace) the endpoint',
          );
        }
        const { action, workload, consumer, endpoint, service } = input.binding;
        const bindings = tenant.spec.bindings ?? [];
        const same = (b: TenantBinding) =>
          b.workload === workload &&
          b.consumer === consumer &&
          envName(b.environment) === target;
        const current = bindings.find(same);
        const key = describeBinding({
          workload,
          consumer,
          environment: environmentAsWritten,
        });
        if (action === 'add' && current) {
          throw new InputError(
            `${key} is already bound to ${current.endpoint}; choose replace to change it`,
          );
        }
        if (action !== 'add' && !current) {
          const existing = bindings
            .filter(b => envName(b.environment) === target)
            .map(describeBinding);
          throw new InputError(
            `${key} is not one of ${
              tenant.metadata.name
            }'s bindings (in ${environmentAsWritten}: ${
              existing.length ? existing.join('; ') : 'none'
            }); choose add, or name an existing workload and consumer`,
          );
        }
        if (action !== 'remove' && !endpoint) {
          throw new InputError(
            `binding.endpoint is missing; to ${action} a binding give its endpoint as host:port`,
          );
        }
        let binding: TenantBinding;
        if (action === 'remove') {
          binding = current!;
          change = { action, binding };
          nextSpec = {
            ...tenant.spec,
            bindings: bindings.filter(b => !same(b)),
          };
          rows.push({
            field: `binding ${key}`,
            current: current!.endpoint,
            requested: 'removed',
          });
        } else {
          // Like blank quotas, a blank service keeps the current binding's service.
          const boundService = service ?? current?.service;
          binding = {
            workload,
            consumer,
            environment: environmentAsWritten,
            endpoint: endpoint!,
            ...(boundService ? { service: boundService } : {}),
          };
          if (
            action === 'replace' &&
            current!.endpoint === binding.endpoint &&
            (current!.service ?? '') === (binding.service ?? '')
          ) {
            throw new InputError(
              `${key} already points at ${binding.endpoint}; give a new endpoint or service`,
            );
          }
          change =
            action === 'add'
              ? { action, binding }
              : { action, binding, previous: current };
          nextSpec = {
            ...tenant.spec,
            bindings: [...bindings.filter(b => !same(b)), binding],
          };
          rows.push({
            field: `binding ${key}`,
            current: current
              ? `${current.endpoint}${
                  current.service ? ` (${current.service})` : ''
                }`
              : '—',
            requested: `${binding.endpoint}${
              binding.service ? ` (${binding.service})` : ''
            }`,
          });
        }
        title = `${action[0].toUpperCase()}${action.slice(
          1,
        )} binding ${key} for ${tenant.metadata.name}`;
      }

      // The tenant after the change must still be a valid Tenant (consumer enabled, ...).
      parseOrThrow(
        tenantEntitySchema,
        { ...tenant, spec: nextSpec },
        `${input.tenant} after this change`,
      );

      const summary = markdown(input.tenant, environmentAsWritten, rows);
      await writeWorkspaceFile(
        ctx.workspacePath,
        'proposal.md',
        `# ${
          input.title ?? title
        }\n\n${summary}\n\n## Requested change\n\n\`\`\`yaml\n${toYaml(
          change,
        )}\`\`\`\n`,
      );
      output({
        tenantRef: input.tenant,
        title: (input.title ?? title).slice(0, 200),
        change,
        summary,
        changedFields: rows.map(r => r.field),
      });
    },
  });
}
