import fs from 'node:fs';
import path from 'node:path';
import { AuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { ApprovalsProposalsApi } from '@internal/plugin-approvals-node';
import type { EvidencePacketsApi } from '@internal/plugin-evidence-node';
import { z } from 'zod';
import {
  blankAsUndefined,
  createFabricAction,
  parseOrThrow,
} from '../lib/fabricAction';
import {
  GUARDED_OPERATIONS,
  GuardedOperation,
  phantomRemovalParamsSchema,
  siteRollbackParamsSchema,
  stepsOf,
} from '../guarded/operations';
import { runSteps } from '../guarded/runner';
import { writeGuardedPacket } from '../guarded/packet';

/** `fabric.guardedActions` in the configuration. */
export interface GuardedActionSettings {
  /** Run the commands for real; otherwise every run is a dry run that records the plan. */
  execute: boolean;
  /** gpg key id the scaffolder signs each packet's manifest with. */
  signingKey?: string;
  /** gpg home holding that key (`--homedir`); gpg's own default when absent. */
  gnupgHome?: string;
  /** Per command. */
  timeoutMs: number;
}

export const GUARDED_EVIDENCE_AREA = 'operations';

const entityRefPattern =
  /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;

const inputSchema = z.strictObject({
  operation: z.enum(GUARDED_OPERATIONS).describe('What to do'),
  proposalId: z
    .uuid({ error: 'must be the id of an approved proposal (a UUID)' })
    .describe('The approved proposal that allows this run'),
  parameters: z
    .record(z.string(), z.string())
    .describe(
      'site-rollback: project, deploymentId; phantom-domain-removal: phantom, real, authoritativeProject',
    ),
  entity: blankAsUndefined(
    z.string().regex(entityRefPattern, {
      error:
        'must be a full entity ref such as component:default/basicconsulting-no',
    }),
  ).describe('The catalog entity the packet is about (optional)'),
});

const outputSchema = z.object({
  mode: z.enum(['dry-run', 'execute']).describe('Whether commands ran'),
  result: z.enum(['PASS', 'FAIL']).describe('Whether every step succeeded'),
  packetId: z.string().optional().describe('The evidence packet of the run'),
  packetVerdict: z.string().optional().describe('Its verification verdict'),
  evidenceUrl: z.string().optional().describe('The packet page in the portal'),
});

function parametersOf(operation: GuardedOperation, value: unknown) {
  return operation === 'site-rollback'
    ? parseOrThrow(
        siteRollbackParamsSchema,
        value,
        'The site-rollback parameters',
      )
    : parseOrThrow(
        phantomRemovalParamsSchema,
        value,
        'The phantom-domain-removal parameters',
      );
}

/**
 * A guarded operation (site rollback, phantom-domain removal): refused unless the user who
 * started the task may read an approved proposal whose change names exactly this operation
 * and these parameters; checked before anything runs. Runs the runbook's steps (a dry run
 * unless `fabric.guardedActions.execute`), then stores what it did as an evidence packet.
 */
export function createGuardedRunAction(deps: {
  auth: AuthService;
  proposals: Pick<ApprovalsProposalsApi, 'get'>;
  evidence: Pick<EvidencePacketsApi, 'upload'>;
  settings: GuardedActionSettings;
  appBaseUrl: string;
  now?: () => Date;
}) {
  return createFabricAction({
    id: 'fabric:guarded:run',
    description:
      'Runs a guarded operation (site-rollback, phantom-domain-removal) under an approved proposal and stores an evidence packet of what it did',
    examples: [
      {
        description: 'Roll a site back to an earlier deployment',
        example: [
          'steps:',
          '  - id: rollback',
          '    action: fabric:guarded:run',
          '    input:',
          '      operation: site-rollback',
          '      proposalId: ${{ parameters.proposalId }}',
          '      parameters:',
          '        project: ${{ parameters.project }}',
          '        deploymentId: ${{ parameters.deploymentId }}',
        ].join('\n'),
      },
    ],
    input: inputSchema,
    output: outputSchema,
    async handler(ctx, input, output) {
      const credentials = await ctx.getInitiatorCredentials();
      if (!deps.auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'Guarded actions run for the signed-in user; this task was not started by a user',
        );
      }
      const params = parametersOf(input.operation, input.parameters);

      // The guard, before any side effect: an approved proposal for exactly this change.
      let view;
      try {
        view = await deps.proposals.get(input.proposalId, { credentials });
      } catch (error) {
        throw new NotAllowedError(
          `Refused: proposal ${input.proposalId} cannot be read as you (${
            (error as Error).message
          }); a guarded action needs an approved proposal of your tenant`,
        );
      }
      const { proposal, gate } = view;
      if (proposal.state !== 'approved' || !gate.allowed) {
        throw new NotAllowedError(
          `Refused: proposal ${proposal.id} is ${proposal.state}${
            gate.reasons.length
              ? ` (${gate.reasons.map(r => r.message).join('; ')})`
              : ''
          }; a guarded action runs only under an approved proposal`,
        );
      }
      const details = (proposal.change as { details?: Record<string, unknown> })
        .details;
      const mismatched = [
        ['operation', input.operation] as const,
        ...Object.entries(params),
      ].filter(([key, value]) => details?.[key] !== value);
      if (mismatched.length > 0) {
        throw new NotAllowedError(
          `Refused: proposal ${
            proposal.id
          } does not approve this run; its change.details must name ${mismatched
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
        );
      }

      const { target, steps } = stepsOf(input.operation, params);
      const execute = deps.settings.execute && !ctx.isDryRun;
      // The packet's folder is named by this timestamp. It keeps its milliseconds, so two
      // runs of one operation on one target in the same second (two deployments of a site
      // rolled back one after the other) are two packets, not a refused second upload.
      // (`.000Z` is written `Z`, as the evidence plugin names folders.)
      const startedAt = (deps.now?.() ?? new Date())
        .toISOString()
        .replace(/\.000Z$/, 'Z');
      ctx.logger.info(
        `${input.operation} ${target} under proposal ${proposal.id}: ${
          execute ? 'executing' : 'dry run (commands are only recorded)'
        }`,
      );
      const { records, ok } = await runSteps(steps, {
        execute,
        env: process.env,
        timeoutMs: deps.settings.timeoutMs,
      });
      for (const r of records) {
        ctx.logger.info(`${r.name}: exit ${r.exitCode}`);
      }
      const dir = path.join(
        ctx.workspacePath,
        'guarded-run',
        startedAt.replace(/:/g, '-'),
      );
      const { archive, result } = await writeGuardedPacket(
        dir,
        {
          operation: input.operation,
          target,
          mode: execute ? 'execute' : 'dry-run',
          proposalId: proposal.id,
          tenant: proposal.tenant,
          actor: ctx.user?.ref ?? 'unknown',
          entities: input.entity ? [input.entity] : [],
          params,
          records,
          ok,
          startedAt,
        },
        {
          signingKey: deps.settings.signingKey,
          gnupgHome: deps.settings.gnupgHome,
        },
      );
      if (ctx.isDryRun) {
        // The template editor's dry run: the packet stays in the workspace.
        output({ mode: 'dry-run', result });
        return;
      }
      const uploaded = await deps.evidence.upload(
        fs.createReadStream(archive),
        {
          area: GUARDED_EVIDENCE_AREA,
          subject: `${input.operation}/${target}`,
          timestamp: startedAt,
        },
        { credentials },
      );
      output({
        mode: execute ? 'execute' : 'dry-run',
        result,
        packetId: uploaded.packet.id,
        packetVerdict: uploaded.packet.verdict,
        evidenceUrl: `${deps.appBaseUrl}/evidence/packets/${uploaded.packet.id}`,
      });
      if (!ok) {
        throw new Error(
          `${input.operation} ${target} failed at step ${
            records[records.length - 1].name
          }; the packet ${uploaded.packet.id} records what ran`,
        );
      }
    },
  });
}
