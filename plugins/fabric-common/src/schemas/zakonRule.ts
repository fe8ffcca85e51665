import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_ZAKON_RULE,
  ZAKON_ENFORCEMENT_LAYERS,
  ZAKON_STATUSES,
} from '../constants';
import { describeValue } from '../problems';
import {
  addDuplicateIssues,
  entityRefField,
  environmentVariableField,
  isoDateField,
  nonEmptyText,
  ownerRefField,
  sha256Field,
  trackingTaskField,
} from './fields';

// The registry gate only watches files named zakon-*.md, so a rule file with
// any other name would escape it.
const RULE_FILE_PATTERN = /(^|\/)zakon-[a-z0-9][a-z0-9-]*\.md$/;

/**
 * Shape of a ZAKON rule. Approval fields are optional here on purpose: whether
 * a rule is approved depends on its status and is judged by
 * `checkZakonApproval`, which gives a more useful message than "missing".
 */
export const zakonRuleSpecSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
      error: issue =>
        `${describeValue(
          issue.input,
        )} is not a ZAKON id; use lower-case words joined by '-', e.g. blueprint-enforcement`,
    })
    // It is also the entity name, which the catalog limits to 63 characters.
    .max(63, {
      error: 'is longer than 63 characters; a ZAKON id is also the entity name',
    })
    .describe(
      "registry id (zakon_id): lower-case words joined by '-', at most 63 characters; equal to metadata.name",
    ),
  owner: ownerRefField,
  ruleFile: z
    .string()
    .regex(RULE_FILE_PATTERN, {
      error: issue =>
        `${describeValue(
          issue.input,
        )} is not a ZAKON rule file; the registry gate only covers files named zakon-<id>.md, e.g. rules/zakon-blueprint-enforcement.md`,
    })
    .describe(
      'path of the rule file, named zakon-<id>.md (the only files the registry gate covers), e.g. rules/zakon-blueprint-enforcement.md',
    ),
  trackingTask: trackingTaskField
    .optional()
    .describe(
      'tracking task key PROJECT-NUMBER, e.g. MC-99911; required unless the status is legacy-pre-registry',
    ),
  approvalToken: nonEmptyText
    .optional()
    .describe(
      '[CEO_APPROVED], or GRANDFATHERED-PRE-2026-05-12 for legacy-pre-registry rules',
    ),
  approvalDate: isoDateField.optional(),
  approvalMethod: nonEmptyText
    .optional()
    .describe('free text, e.g. board-deliberation'),
  status: z.enum(ZAKON_STATUSES, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a ZAKON status; use one of: ${ZAKON_STATUSES.join(', ')}`,
  }),
  publishedSha256: sha256Field
    .optional()
    .describe(
      'sha256 digest of the published rule file (64 hexadecimal characters); required when active',
    ),
  inScope: z
    .array(nonEmptyText)
    .min(1)
    .describe('file globs the rule applies to, e.g. rules/zakon-*.md'),
  governs: z
    .array(entityRefField({ example: 'component:default/minio' }))
    .optional()
    .describe(
      'the entities the rule governs (emits governs / governedBy relations)',
    ),
  escapeValve: z
    .strictObject({
      variable: environmentVariableField.describe(
        'override variable; its value must name the approving tracking task',
      ),
    })
    .optional(),
  enforcement: z
    .array(z.enum(ZAKON_ENFORCEMENT_LAYERS))
    .min(1)
    .describe('each layer listed once')
    .superRefine((layers, ctx) =>
      addDuplicateIssues(
        ctx,
        layers,
        [],
        layer => `${layer} is listed twice; list it once`,
      ),
    ),
});

export const zakonRuleEntitySchema = z
  .looseObject({
    apiVersion: z.literal(FABRIC_API_VERSION),
    kind: z.literal(FABRIC_KIND_ZAKON_RULE),
    metadata: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
    }),
    spec: zakonRuleSpecSchema,
  })
  .superRefine((entity, ctx) => {
    if (entity.spec.id !== entity.metadata.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'id'],
        message: `'${entity.spec.id}' differs from metadata.name '${entity.metadata.name}'; a rule's entity name is its registry id, make them equal`,
      });
    }
  });

export type ZakonStatus = (typeof ZAKON_STATUSES)[number];
export type ZakonEnforcementLayer = (typeof ZAKON_ENFORCEMENT_LAYERS)[number];
export type ZakonRuleSpec = z.infer<typeof zakonRuleSpecSchema>;

/** A `kind: ZakonRule` entity whose spec passed {@link zakonRuleSpecSchema}. */
export interface ZakonRuleEntity extends Entity {
  apiVersion: typeof FABRIC_API_VERSION;
  kind: typeof FABRIC_KIND_ZAKON_RULE;
  spec: ZakonRuleSpec;
}
