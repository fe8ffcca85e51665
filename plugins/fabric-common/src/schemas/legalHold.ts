import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { FABRIC_API_VERSION, FABRIC_KIND_TENANT } from '../constants';
import { visibleNameField, visibleTextField } from '../text';
import { entityRefField, isoDateField, nonEmptyText } from './fields';

/** A day of slack for `since`: a hold set today east of UTC is still dated "tomorrow" in UTC. */
const SINCE_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * A legal hold on a tenant (seed 001, "legal hold / retention labels"): while it is in the
 * catalog, the retention jobs keep everything of the tenant they would otherwise delete. It is
 * set and lifted by a catalog change (Git, reviewed like every catalog change), so who may set
 * it is who may merge the tenant's catalog file; `setBy` names the group that decided it.
 */
export const legalHoldSchema = z
  .strictObject({
    setBy: entityRefField({
      defaultKind: 'Group',
      allowedKinds: ['Group'],
      example: 'group:default/legal',
    }),
    since: isoDateField
      .superRefine((value, ctx) => {
        const latest = new Date(Date.now() + SINCE_SLACK_MS)
          .toISOString()
          .slice(0, 10);
        if (/^\d{4}-\d{2}-\d{2}$/.test(value) && value > latest) {
          ctx.addIssue({
            code: 'custom',
            input: value,
            message: `'${value}' is in the future; a hold starts when it is decided, write that date (today at the latest)`,
          });
        }
      })
      .describe(
        "date the hold was decided, YYYY-MM-DD quoted in YAML, not in the future, e.g. '2026-05-12'",
      ),
    reason: visibleTextField(nonEmptyText).describe(
      'why the data is held, in words a reviewer can read (no invisible characters)',
    ),
    caseRef: visibleNameField(nonEmptyText)
      .optional()
      .describe(
        'the legal case or matter the hold is for, e.g. LEGAL-2026-014',
      ),
  })
  .describe(
    "legal hold: while present, retention keeps all of the tenant's drift runs and notifications; lift it by removing the block",
  );

export type LegalHold = z.infer<typeof legalHoldSchema>;

/** The fields of a Tenant entity {@link heldTenantRefs} needs (catalog `fields=`). */
export const LEGAL_HOLD_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.legalHold',
];

/**
 * The tenants under a legal hold, as canonical lower-case refs. Any `spec.legalHold` that is
 * present counts, valid or not: a hold that slipped past validation still keeps the data.
 */
export function heldTenantRefs(entities: readonly Entity[]): string[] {
  const lower = (value: string) => value.toLocaleLowerCase('en-US');
  return entities
    .filter(
      e =>
        e.apiVersion === FABRIC_API_VERSION &&
        lower(e.kind) === lower(FABRIC_KIND_TENANT) &&
        (e.spec as { legalHold?: unknown } | undefined)?.legalHold !==
          undefined,
    )
    .map(e => lower(stringifyEntityRef(e)))
    .sort();
}
