import { InputError } from '@backstage/errors';
import {
  environmentRefSchema,
  tenantRefSchema,
} from '@internal/plugin-approvals-common';
import {
  TENANT_CHANGE_TYPES,
  blankFieldsAsUndefined,
  TenantChangeRow,
  TenantEntity,
  planTenantChange,
  tenantBindingRequestSchema,
  tenantEntitySchema,
  tenantQuotasRequestSchema,
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

// The form's FabricTenantQuotas / FabricTenantBinding fields (plugins/scaffolder-module-fabric)
// plan the same change live with planTenantChange; this action plans it again on the server,
// as the signed-in user, because form values are never trusted.
const inputSchema = z.strictObject({
  tenant: tenantRefSchema.describe('The tenant to change, e.g. project-birds'),
  environment: environmentRefSchema.describe(
    'Target environment of the proposal; a binding change binds in this environment',
  ),
  changeType: z.enum(TENANT_CHANGE_TYPES),
  title: blankAsUndefined(
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('Proposal title; generated when blank'),
  ),
  binding: blankFieldsAsUndefined(tenantBindingRequestSchema)
    .optional()
    .describe(
      'The binding to add, replace or remove; replace and remove find the current binding by workload, consumer and environment',
    ),
  quotas: blankFieldsAsUndefined(tenantQuotasRequestSchema)
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

function markdown(
  tenantRef: string,
  environment: string,
  rows: TenantChangeRow[],
) {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `**Tenant** ${tenantRef} · **Environment** ${environment}`,
    '',
    '| Field | Current | Requested |',
    '| --- | --- | --- |',
    ...rows.map(
      r => `| ${r.field} | ${cell(r.current)} | ${cell(r.requested)} |`,
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
      const catalog = await UserCatalog.ofTask(deps.catalog, ctx);
      const entity = await catalog.require(
        input.tenant,
        `${input.tenant} is not in the catalog, or is not one of your tenants; pick one of the tenants your group owns`,
      );
      const tenant = parseOrThrow(
        tenantEntitySchema,
        entity,
        `The current entity of ${input.tenant}`,
      );
      const plan = planTenantChange(tenant as TenantEntity, input);
      if (!plan.ok) {
        // Each problem is a whole sentence with its fix (the form shows them per field).
        throw new InputError(plan.problems.map(p => p.message).join('\n'));
      }
      const { change, rows, environment, title } = plan;

      const summary = markdown(input.tenant, environment, rows);
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
