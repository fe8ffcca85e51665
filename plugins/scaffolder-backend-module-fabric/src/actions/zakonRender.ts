import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_ZAKON_RULE,
  canonicalFabricRef,
  zakonRuleEntitySchema,
  zakonRuleSpecSchema,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { ApprovalsRulesApi } from '@internal/plugin-approvals-node';
import { UserCatalog } from '../lib/catalog';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import { LocalRepositories } from '../lib/localRepos';
import { checkRepoName } from '../lib/repoChecks';
import { toYaml, writeWorkspaceFile } from '../lib/workspace';

const rule = zakonRuleSpecSchema.shape;

/**
 * Proposals always name a tenant; a ZAKON rule belongs to no project, so rule
 * proposals are filed under the platform's own pseudo-tenant.
 */
export const RULE_PROPOSAL_TENANT = 'tenant:default/platform';

const inputSchema = z.strictObject({
  id: rule.id.describe(
    'Registry id, e.g. cost-ceiling; the rule file becomes rules/zakon-<id>.md',
  ),
  title: blankAsUndefined(z.string().trim().min(1).max(100)),
  description: blankAsUndefined(z.string().trim().min(1).max(2000)),
  owner: rule.owner,
  trackingTask: rule.trackingTask
    .unwrap()
    .describe('Task that tracks the approval, e.g. MC-100500'),
  inScope: rule.inScope,
  governs: blankAsUndefined(rule.governs.unwrap()),
  escapeValveVariable: blankAsUndefined(
    rule.escapeValve.unwrap().shape.variable,
  ),
  enforcement: rule.enforcement,
});

const outputSchema = z.object({
  entityRef: z.string(),
  repoName: z.string(),
  proposalTenant: z.string(),
  approvalEnvironment: z.string(),
  change: z
    .record(z.string(), z.unknown())
    .describe('The new-rule change for fabric:proposal:submit'),
});

export function createZakonRenderAction(deps: {
  catalog: CatalogService;
  /** The approvals backend's rules (approvals-node), so the choice matches what it enforces. */
  rules: Pick<ApprovalsRulesApi, 'strictest' | 'configuredEnvironments'>;
  localRepos?: LocalRepositories;
}) {
  return createFabricAction({
    id: 'fabric:zakon:render',
    description:
      "Renders the registry entry of a new ZAKON rule with status approved-pending-author (catalog-info.yaml as a ZakonRule, plus the entry in the registry's JSON form), validated with the ZakonRule schema and checked against the catalog. The approval fields stay empty: the rule only becomes active in the catalog when its new-rule proposal is approved and applied (the ZAKON gate fails closed until then). The rule file itself is written after approval.",
    examples: [
      {
        description:
          'A rule enforced by the registry gate and the nightly daemon',
        example: toYaml({
          steps: [
            {
              id: 'render',
              action: 'fabric:zakon:render',
              input: {
                id: 'cost-ceiling',
                owner: 'group:default/platform-operators',
                trackingTask: 'MC-100500',
                inScope: ['**/COST-PLAN.md'],
                enforcement: ['registry-gate', 'nightly-daemon'],
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const ruleFile = `rules/zakon-${input.id}.md`;
      const spec = {
        id: input.id,
        owner: input.owner,
        ruleFile,
        trackingTask: input.trackingTask,
        status: 'approved-pending-author' as const,
        inScope: input.inScope,
        ...(input.governs?.length ? { governs: input.governs } : {}),
        ...(input.escapeValveVariable
          ? { escapeValve: { variable: input.escapeValveVariable } }
          : {}),
        enforcement: input.enforcement,
      };
      const entity = parseOrThrow(
        zakonRuleEntitySchema,
        {
          apiVersion: FABRIC_API_VERSION,
          kind: FABRIC_KIND_ZAKON_RULE,
          metadata: {
            name: input.id,
            title: input.title ?? `ZAKON: ${input.id}`,
            ...(input.description ? { description: input.description } : {}),
            tags: ['zakon'],
          },
          spec,
        },
        `The new ZAKON rule ${input.id}`,
      );

      const catalog = await UserCatalog.ofTask(deps.catalog, ctx);
      const entityRef = `zakonrule:default/${input.id}`;
      if (await catalog.exists(entityRef)) {
        throw new ConflictError(
          `ZAKON rule ${input.id} already exists; choose another id`,
        );
      }
      const holder = { metadata: { namespace: 'default' } };
      const missing: string[] = [];
      if (
        !(await catalog.exists(
          canonicalFabricRef(input.owner, 'Group', holder),
        ))
      ) {
        missing.push(`owner: ${input.owner} is not a group in the catalog`);
      }
      for (const ref of input.governs ?? []) {
        if (
          !(await catalog.exists(canonicalFabricRef(ref, undefined, holder)))
        ) {
          missing.push(`governs: ${ref} is not in the catalog`);
        }
      }
      if (missing.length) {
        throw new InputError(
          `The new ZAKON rule ${
            input.id
          } refers to things the catalog does not have; fix or remove them:\n${missing
            .map(m => `- ${m}`)
            .join('\n')}`,
        );
      }
      const repoName = `zakon-${input.id}`;
      await checkRepoName(repoName, deps.localRepos);

      // A rule binds every environment: it is approved under the strictest configured one.
      const configured = await deps.rules.configuredEnvironments();
      const approvalEnvironment = await deps.rules.strictest(
        configured.length > 0 ? configured : ['samakia-prod'],
      );

      await writeWorkspaceFile(
        ctx.workspacePath,
        'catalog-info.yaml',
        toYaml(
          entity,
          `ZAKON registry entry for ${input.id}, status approved-pending-author.\nActive in the catalog only once its new-rule proposal (annotation fabric.samakia.io/proposal-id)\nis approved and applied; the approval token and date are recorded then. Do not register this file.`,
        ),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'zakon-registry-entry.json',
        `${JSON.stringify(
          {
            zakon_id: input.id,
            file_path: ruleFile,
            mc_task: input.trackingTask,
            // Filled in from the approved proposal; the gate blocks the rule until then.
            ceo_approved_token: null,
            ceo_approval_date: null,
            ceo_approval_method:
              'Fabric Portal approval gate (new-rule proposal)',
            status: 'approved-pending-author',
            notes: input.description ?? input.title ?? '',
          },
          null,
          2,
        )}\n`,
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        'README.md',
        [
          `# ZAKON rule ${input.id}`,
          '',
          'Creation requires approval, and the gate fails closed:',
          '',
          `1. The new-rule proposal filed with this entry is reviewed under the approval rules of ${approvalEnvironment}.`,
          '2. Once an operator applies the approved proposal, the Fabric Portal catalog lists the rule as',
          '   `approved-pending-author` with the approval token and date.',
          `3. Then the rule file \`${ruleFile}\` may be written; after it is published, record its sha256`,
          '   (`publishedSha256`) and set the status to `active`.',
          '',
          `Tracking task: ${input.trackingTask}. In scope: ${input.inScope
            .map(g => `\`${g}\``)
            .join(', ')}.`,
          '',
        ].join('\n'),
      );
      output({
        entityRef,
        repoName,
        proposalTenant: RULE_PROPOSAL_TENANT,
        approvalEnvironment,
        change: { name: input.id, spec: entity.spec },
      });
    },
  });
}
