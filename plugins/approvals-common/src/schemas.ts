import {
  BINDING_CHANGE_ACTIONS,
  canonicalEntityRefSchema,
  FabricParseResult,
  jsonObjectField,
  parseWithProblems,
  tenantBindingSchema,
  tenantQuotasSchema,
  tenantSpecSchema,
  visibleNameField,
  zakonRuleSpecSchema,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { PROPOSAL_STATES } from './states';

export const PROPOSAL_TYPES = [
  'binding-change',
  'capacity-change',
  'new-tenant',
  'new-rule',
  'rule-publish',
  'promotion',
  'other',
] as const;

/**
 * Proposal types that decide a ZAKON rule: only a signed approval by a member of the
 * governance group gives their [CEO_APPROVED] (catalog-backend-module-fabric).
 */
export const ZAKON_PROPOSAL_TYPES: ReadonlyArray<ProposalType> = [
  'new-rule',
  'rule-publish',
];

export type ProposalType = (typeof PROPOSAL_TYPES)[number];

/** An entity ref of `kind`, written short or full; parsed to canonical form. */
function entityRef(kind: string, example: string) {
  return canonicalEntityRefSchema({
    defaultKind: kind,
    allowedKinds: [kind],
    example,
  });
}

export const tenantRefSchema = entityRef(
  'Tenant',
  'project-birds or tenant:default/project-birds',
);
export const environmentRefSchema = entityRef(
  'Resource',
  'samakia-prod or resource:default/samakia-prod',
);
export const userRefSchema = entityRef(
  'User',
  'oscar.operator or user:default/oscar.operator',
);

export const changeRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/#@!+-]*$/, {
    message:
      'must be a change reference such as a merge request (mr!42), a commit sha or a branch, without spaces',
  });

export const evidenceLinkSchema = z.strictObject({
  title: visibleNameField(z.string().min(1).max(200)).optional(),
  url: z.url({ protocol: /^https?$/ }).max(2000),
});

/**
 * Kinds of evidence packet a proposal may cite. Run/Operate's promotion gates name an
 * EvalReport, a DatasetManifest and compatibility metadata; `verification` is the packet of
 * a verify or rollback step; `other` anything else.
 */
export const PACKET_KINDS = [
  'eval-report',
  'dataset-manifest',
  'compatibility',
  'plan',
  'verification',
  'other',
] as const;

export type PacketKind = (typeof PACKET_KINDS)[number];

/** The id of an evidence packet as the evidence index holds it (a UUID). */
export const packetIdSchema = z.uuid({
  message:
    'must be an evidence packet id (a UUID, as the Evidence page shows it)',
});

/**
 * A reference to an evidence packet: the portal resolves it (the packet exists, its verdict
 * is verified, it belongs to the proposal's tenant or entity, it is recent enough) at the gate
 * and records how it resolved in the audit log.
 */
export const packetRefSchema = z.strictObject({
  packetId: packetIdSchema,
  kind: z.enum(PACKET_KINDS).default('other'),
  /** An extra note, e.g. the URL of a CI job; never checked. */
  note: z.string().trim().max(500).optional(),
});

export type PacketRef = z.infer<typeof packetRefSchema>;

/** What a promotion moves: an image, a scaffolder template or a release. */
export const ARTEFACT_KINDS = ['image', 'template', 'release'] as const;

/**
 * A promotion: one named artefact moves from one environment rung to the next (the
 * proposal's environment is the target rung).
 */
export const promotionChangeSchema = z.strictObject({
  artefact: z.strictObject({
    kind: z.enum(ARTEFACT_KINDS),
    name: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, {
        message:
          'must be an artefact name such as registry/app or a template name, without spaces',
      }),
    version: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/, {
        message: 'must be a version, tag or digest without spaces',
      }),
  }),
  from: environmentRefSchema,
  to: environmentRefSchema,
});

export type PromotionChange = z.infer<typeof promotionChangeSchema>;

/** A binding change: add, remove or replace one binding of the tenant. */
export const bindingChangeSchema = z.strictObject({
  action: z.enum(BINDING_CHANGE_ACTIONS),
  binding: tenantBindingSchema,
  /** The binding being replaced (only for `replace`). */
  previous: tenantBindingSchema.optional(),
});

/** A capacity change: the complete new quota set. */
export const capacityChangeSchema = z.strictObject({
  quotas: tenantQuotasSchema,
});

export const newTenantChangeSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be a lower-case name of letters, digits and dashes',
  }),
  spec: tenantSpecSchema,
});

export const newRuleChangeSchema = z.strictObject({
  name: visibleNameField(z.string().min(1).max(200)),
  spec: zakonRuleSpecSchema,
});

/**
 * The authoring step of a ZAKON rule (seed 003): the rule file is written and published, so
 * the approved registry entry becomes active with the sha256 of the published file.
 */
export const rulePublishChangeSchema = z.strictObject({
  name: zakonRuleSpecSchema.shape.id,
  publishedSha256: zakonRuleSpecSchema.shape.publishedSha256.unwrap(),
});

export const otherChangeSchema = z.strictObject({
  description: z.string().min(1).max(10_000),
  /** Free-form, but plain JSON: bounded depth, finite numbers. */
  details: jsonObjectField.optional(),
});

/** The schema of the requested change for each proposal type. */
export const proposalChangeSchemas: Record<ProposalType, z.ZodType> = {
  'binding-change': bindingChangeSchema.superRefine((change, ctx) => {
    if (change.action === 'replace' && !change.previous) {
      ctx.addIssue({
        code: 'custom',
        path: ['previous'],
        message: 'is missing; a replace names the binding it replaces',
      });
    }
    if (change.action !== 'replace' && change.previous) {
      ctx.addIssue({
        code: 'custom',
        path: ['previous'],
        message: `is only allowed for action replace; remove it`,
      });
    }
  }),
  'capacity-change': capacityChangeSchema,
  'new-tenant': newTenantChangeSchema,
  'new-rule': newRuleChangeSchema,
  'rule-publish': rulePublishChangeSchema,
  promotion: promotionChangeSchema.superRefine((change, ctx) => {
    if (change.from === change.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `is the same rung as from (${change.from}); a promotion moves to the next rung`,
      });
    }
  }),
  other: otherChangeSchema,
};

export type BindingChange = z.infer<typeof bindingChangeSchema>;
export type CapacityChange = z.infer<typeof capacityChangeSchema>;

/** Parses a requested change against the domain schema for its type. */
export function parseProposalChange(
  type: ProposalType,
  change: unknown,
): FabricParseResult<unknown> {
  return parseWithProblems(
    proposalChangeSchemas[type],
    change,
    `The requested ${type}`,
  );
}

/**
 * What a requester sends. The change itself is structured data checked by
 * the automatic validation step, so a malformed change is recorded with
 * reasons instead of being refused at the door.
 */
export const proposalSubmissionSchema = z.strictObject({
  tenant: tenantRefSchema,
  type: z.enum(PROPOSAL_TYPES),
  environment: environmentRefSchema,
  title: visibleNameField(z.string().trim().min(1).max(200)),
  /**
   * Checked against its type's schema later (see above); here only that it is plain JSON, so
   * what is stored, digested and signed can always be written back.
   */
  change: jsonObjectField,
  /** Links kept as notes; the evidence the gate checks is {@link packets}. */
  evidence: z.array(evidenceLinkSchema).max(50).default([]),
  /** Evidence packet references, resolved and checked by the gate. */
  packets: z.array(packetRefSchema).max(50).optional(),
  /** Id of an earlier proposal this one replaces. */
  supersedes: z.uuid().optional(),
  /**
   * The change an operator applies for this proposal (a merge request, a commit); the
   * operator's apply step (and CI, read-only) asks the gate by tenant + change reference.
   */
  changeRef: changeRefSchema.optional(),
});

export type ProposalSubmission = z.infer<typeof proposalSubmissionSchema>;
export type ProposalSubmissionInput = z.input<typeof proposalSubmissionSchema>;
export type EvidenceLink = z.infer<typeof evidenceLinkSchema>;

/** An override of a change window: always needs a reason and a tracking reference. */
export const overrideSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  trackingRef: z.string().regex(/^[A-Z][A-Z0-9]*-\d+$/, {
    message: 'must be a tracking task such as OPS-123',
  }),
});

export type Override = z.infer<typeof overrideSchema>;

export const approveRequestSchema = z.strictObject({
  comment: z.string().max(2000).optional(),
  /** Armored OpenPGP detached signature over the proposal digest. */
  signature: z.string().max(20_000).optional(),
  override: overrideSchema.optional(),
});

export const rejectRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
});

export const withdrawRequestSchema = z.strictObject({
  reason: z.string().trim().max(2000).optional(),
});

export const applyRequestSchema = z.strictObject({
  reference: z.string().trim().min(1).max(500),
  /**
   * The evidence packet of the apply run (its plan and output). Required for every apply,
   * from the operator CLI and the web page alike: an apply without a packet is refused.
   */
  evidence: packetIdSchema,
  override: overrideSchema.optional(),
});

/** An operator confirms an applied change, citing the packet of the verification. */
export const verifyRequestSchema = z.strictObject({
  evidence: packetIdSchema,
  comment: z.string().trim().max(2000).optional(),
});

/** An operator records that an applied change was rolled back: why, and the packet. */
export const rollbackRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  evidence: packetIdSchema,
});

/** The most proposals one page of the list may hold. */
export const PROPOSAL_PAGE_MAX = 500;

export const proposalListQuerySchema = z.strictObject({
  tenant: tenantRefSchema.optional(),
  environment: environmentRefSchema.optional(),
  state: z.enum(PROPOSAL_STATES).optional(),
  requester: userRefSchema.optional(),
  changeRef: changeRefSchema.optional(),
  type: z.enum(PROPOSAL_TYPES).optional(),
  /** Words of the title, a tenant name or the start of an id (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
  /**
   * `review`: waiting for me, what the caller may claim or approve now (not their own, not
   * approved by them, in a reviewable state, not claimed by somebody else); `requested`: the
   * caller's own.
   */
  view: z.enum(['review', 'requested']).optional(),
  limit: z.coerce.number().int().min(1).max(PROPOSAL_PAGE_MAX).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** CI's gate question when it knows the change, not the proposal id. */
export const gateQuerySchema = z.strictObject({
  tenant: tenantRefSchema,
  changeRef: changeRefSchema,
});

export type ApproveRequest = z.infer<typeof approveRequestSchema>;
export type RejectRequest = z.infer<typeof rejectRequestSchema>;
export type WithdrawRequest = z.infer<typeof withdrawRequestSchema>;
export type ApplyRequest = z.infer<typeof applyRequestSchema>;
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;
export type ProposalListQuery = z.infer<typeof proposalListQuerySchema>;
export type ProposalListQueryInput = z.input<typeof proposalListQuerySchema>;
export type GateQuery = z.infer<typeof gateQuerySchema>;
