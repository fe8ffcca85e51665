import fs from 'node:fs';
import {
  BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  PROPOSAL_STATES,
  ProposalSubmission,
  parseProposalChange,
  proposalSubmissionSchema,
} from '@internal/plugin-approvals-common';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_TENANT,
  FABRIC_KIND_ZAKON_RULE,
  describeValue,
  formatProblems,
  tenantEntitySchema,
  zakonRuleEntitySchema,
} from '@internal/plugin-fabric-common';
import { parseEntityRef } from '@backstage/catalog-model';
import YAML from 'yaml';
import { z } from 'zod';
import { CitationChecker } from '../lib/citations';
import { ProposalSubmitter } from '../lib/proposalSubmitter';
import {
  DRY_RUN_PROPOSAL_ID,
  FABRIC_ANNOTATION_PROPOSAL_ID,
} from '../lib/constants';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import { toYaml } from '../lib/workspace';

const inputSchema = proposalSubmissionSchema.extend({
  changeRef: blankAsUndefined(
    proposalSubmissionSchema.shape.changeRef.unwrap(),
  ),
  supersedes: blankAsUndefined(
    proposalSubmissionSchema.shape.supersedes.unwrap(),
  ),
  driftRuns: z
    .array(z.uuid({ message: 'must be a drift run id (a UUID)' }))
    .max(20)
    .optional()
    .describe(
      'Ids of drift runs of the tenant in the target environment to cite; each becomes an evidence link to the run',
    ),
  recordIn: blankAsUndefined(
    z
      .string()
      .describe(
        'Workspace path of an entity YAML file (e.g. catalog-info.yaml) to annotate with fabric.samakia.io/proposal-id once the proposal exists',
      ),
  ),
});

const outputSchema = z.object({
  proposalId: z.string().describe('Id of the proposal (dry-run in a dry run)'),
  proposalUrl: z.string().describe('The proposal page in the portal'),
  proposalPath: z
    .string()
    .describe(
      "The proposal page as an app path: a template's output link opens it in the same tab",
    ),
  state: z
    .enum([...PROPOSAL_STATES, 'dry-run'])
    .describe('State after the automatic validation'),
  digest: z
    .string()
    .optional()
    .describe('sha256 over the proposal content, what approvers sign'),
});

/**
 * Checks a new tenant or rule as the entity it will become, so a mistake the
 * approvals backend would only notice after approval (a binding to an
 * environment the tenant does not list, a rule id that differs from its name)
 * is caught before anything is submitted.
 */
function checkProposedEntity(submission: ProposalSubmission, change: any) {
  if (submission.type === 'new-tenant') {
    const tenantName = parseEntityRef(submission.tenant).name;
    if (change.name !== tenantName) {
      throw new InputError(
        `The new tenant is called ${change.name} but the proposal names tenant ${submission.tenant}; use the same name in both`,
      );
    }
    parseOrThrow(
      tenantEntitySchema,
      {
        apiVersion: FABRIC_API_VERSION,
        kind: FABRIC_KIND_TENANT,
        metadata: { name: change.name },
        spec: change.spec,
      },
      `The new tenant ${change.name}`,
    );
  }
  if (submission.type === 'new-rule') {
    parseOrThrow(
      zakonRuleEntitySchema,
      {
        apiVersion: FABRIC_API_VERSION,
        kind: FABRIC_KIND_ZAKON_RULE,
        metadata: { name: change.name },
        spec: change.spec,
      },
      `The new ZAKON rule ${change.name}`,
    );
  }
}

/** Sets the proposal id annotation on an entity file in the workspace. */
/**
 * The entity file `recordIn` names, checked before anything is submitted: a proposal must not
 * be recorded for a run that then fails on its own input.
 */
async function loadRecordTarget(workspacePath: string, file: string) {
  let target: string;
  try {
    target = resolveSafeChildPath(workspacePath, file);
  } catch {
    throw new InputError(
      `recordIn: ${describeValue(
        file,
      )} is outside the workspace; point it at the rendered catalog-info.yaml`,
    );
  }
  let text: string;
  try {
    text = await fs.promises.readFile(target, 'utf8');
  } catch {
    throw new InputError(
      `recordIn: ${describeValue(
        file,
      )} does not exist in the workspace; render the entity before submitting the proposal`,
    );
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length || typeof doc.toJS()?.metadata !== 'object') {
    throw new InputError(
      `recordIn: ${describeValue(
        file,
      )} is not an entity YAML file with metadata; point it at the rendered catalog-info.yaml`,
    );
  }
  return { target, text, doc };
}

async function recordProposal(
  record: Awaited<ReturnType<typeof loadRecordTarget>>,
  proposalId: string,
) {
  const { target, text, doc } = record;
  doc.setIn(
    ['metadata', 'annotations', FABRIC_ANNOTATION_PROPOSAL_ID],
    proposalId,
  );
  const header = text.match(/^(#[^\n]*\n)+/)?.[0] ?? '';
  await fs.promises.writeFile(target, header + toYaml(doc.toJS()), 'utf8');
}

/** The cited packets and drift runs, checked as the user; the runs as evidence links. */
async function checkCitations(
  checker: Pick<CitationChecker, 'check'> | undefined,
  citations: Parameters<CitationChecker['check']>[0],
  credentials: () => Promise<BackstageCredentials>,
) {
  const cites =
    (citations.packets?.length ?? 0) + (citations.driftRuns?.length ?? 0);
  if (cites === 0) return [];
  if (!checker) {
    throw new InputError(
      'packets: this backend cannot check evidence packets or drift runs; leave them out or install the evidence and drift backends',
    );
  }
  return checker.check(citations, await credentials());
}

export function createProposalSubmitAction(deps: {
  approvals: ProposalSubmitter;
  appBaseUrl: string;
  /** Checks cited packets and drift runs as the user; without it, citing any is refused. */
  citations?: Pick<CitationChecker, 'check'>;
}) {
  return createFabricAction({
    id: 'fabric:proposal:submit',
    description:
      'Submits a proposal (binding change, capacity change, new tenant, new ZAKON rule) to the approval gate as the signed-in user who runs the template: the requester is that user, never the scaffolder. The change is checked against the domain schemas first; a proposal that the approvals backend rejects in its automatic validation fails the step with the reasons. In a dry run it only validates and returns a placeholder.',
    examples: [
      {
        description: 'Ask for more capacity for a tenant',
        example: toYaml({
          steps: [
            {
              id: 'submit',
              action: 'fabric:proposal:submit',
              input: {
                tenant: 'project-birds',
                type: 'capacity-change',
                environment: 'samakia-prod',
                title: 'More memory for the birds API',
                change: {
                  quotas: {
                    cpuCores: 8,
                    memoryGiB: 48,
                    storageGiB: 500,
                    maxDatabases: 4,
                    maxConnections: 200,
                  },
                },
                changeRef: 'mr!42',
              },
            },
          ],
        }),
      },
      {
        description:
          'Propose a new tenant rendered by fabric:tenant:render and record the proposal id in its entity file',
        example: toYaml({
          steps: [
            {
              id: 'submit',
              action: 'fabric:proposal:submit',
              input: {
                tenant: '${{ steps.render.output.tenantRef }}',
                type: 'new-tenant',
                environment: '${{ steps.render.output.approvalEnvironment }}',
                title: 'New tenant project-wren',
                change: '${{ steps.render.output.change }}',
                recordIn: 'catalog-info.yaml',
              },
            },
          ],
        }),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const { recordIn, driftRuns, ...submission } = input;
      const change = parseProposalChange(submission.type, submission.change);
      if (!change.success) {
        throw new InputError(
          `The requested ${submission.type} is invalid:\n${formatProblems(
            change.problems,
          )}`,
        );
      }
      checkProposedEntity(submission, change.data);
      const record = recordIn
        ? await loadRecordTarget(ctx.workspacePath, recordIn)
        : undefined;

      const driftLinks = await checkCitations(
        deps.citations,
        { ...submission, driftRuns },
        () => ctx.getInitiatorCredentials(),
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: the ${submission.type} proposal for ${submission.tenant} is valid and was not submitted`,
        );
        if (record) {
          await recordProposal(record, DRY_RUN_PROPOSAL_ID);
        }
        output({
          proposalId: DRY_RUN_PROPOSAL_ID,
          proposalUrl: `${deps.appBaseUrl}/approvals`,
          proposalPath: '/approvals',
          state: 'dry-run',
        });
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // The proposal links back to the task that filed it (a note, never checked by the gate).
      const evidence = [...(submission.evidence ?? []), ...driftLinks];
      const taskLink = {
        title: 'Scaffolder task',
        url: `${deps.appBaseUrl}/create/tasks/${encodeURIComponent(
          ctx.task.id,
        )}`,
      };
      const proposal = await deps.approvals.submit(
        {
          ...submission,
          evidence: evidence.length < 50 ? [...evidence, taskLink] : evidence,
        },
        credentials,
      );
      const proposalPath = `/approvals/proposals/${encodeURIComponent(
        proposal.id,
      )}`;
      const proposalUrl = `${deps.appBaseUrl}${proposalPath}`;
      if (proposal.state === 'rejected') {
        // The proposal stays on record (proposals are immutable); the run stops here.
        throw new InputError(
          `The approval gate rejected the proposal in its automatic validation (recorded as ${proposalUrl}):\n${formatProblems(
            proposal.validation?.problems ?? [],
          )}`,
        );
      }
      ctx.logger.info(
        `Submitted proposal ${proposal.id} (${proposal.state}) as ${proposal.requester}: ${proposalUrl}`,
      );
      if (record) {
        await recordProposal(record, proposal.id);
      }
      output({
        proposalId: proposal.id,
        proposalUrl,
        proposalPath,
        state: proposal.state,
        digest: proposal.digest,
      });
    },
  });
}
