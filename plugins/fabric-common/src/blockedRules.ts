import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';
import {
  CATALOG_PROCESSING_STATUS_TYPE,
  FABRIC_KIND_ZAKON_RULE,
} from './constants';

/** A ZAKON rule that the approval gate refused, as an operator should see it. */
export interface BlockedZakonRule {
  /** e.g. `zakonrule:default/blueprint-enforcement` */
  ref: string;
  name: string;
  title?: string;
  /** Why it is blocked, each with the fix; taken from the catalog's processing errors. */
  messages: string[];
  /** Location the rule was read from (`backstage.io/managed-by-location`). */
  location?: string;
  /** When the catalog last read this version of the rule, if known. */
  observedAt?: string;
  /**
   * `not-ingested`: the rule never passed the gate and is absent from the catalog.
   * `last-approved-version-served`: the catalog still serves the last version
   * that passed, but the current source fails the gate (treat it as blocked).
   */
  state: 'not-ingested' | 'last-approved-version-served';
}

const serializedErrorSchema: z.ZodType<{
  name?: string;
  message?: string;
  cause?: unknown;
}> = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  cause: z.unknown().optional(),
});

/**
 * One row of `GET /api/catalog/entities/unprocessed/pending` (served by
 * `@backstage/plugin-catalog-backend-module-unprocessed`): a refresh_state row
 * of an entity that has no stored version, with its processing errors.
 * `entity_ref` and `entity_id` come back null from that endpoint (its join
 * with final_entities overwrites them), so the ref is taken from the entity.
 */
const unprocessedRowSchema = z.looseObject({
  unprocessed_entity: z.looseObject({
    kind: z.string(),
    metadata: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
      title: z.string().optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
  }),
  errors: z.array(serializedErrorSchema).nullish(),
  last_discovery_at: z.union([z.string(), z.date()]).nullish(),
});

export const unprocessedEntitiesResponseSchema = z.looseObject({
  entities: z.array(unprocessedRowSchema),
});

/**
 * The most specific message of a serialized error chain. The catalog wraps
 * processor errors ("Processor X threw ...; caused by ..."), and the innermost
 * cause is the processor's own message with the fix.
 */
function innermostMessage(error: unknown): string | undefined {
  let current = serializedErrorSchema.safeParse(error);
  let message: string | undefined;
  const seen = new Set<unknown>();
  while (current.success && !seen.has(current.data)) {
    seen.add(current.data);
    message = current.data.message ?? message;
    current = serializedErrorSchema.safeParse(current.data.cause);
  }
  return message;
}

function catalogProcessingErrors(entity: Entity): string[] {
  const items = (entity as { status?: { items?: unknown } }).status?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap(item => {
    const parsed = z
      .looseObject({
        type: z.string(),
        level: z.string(),
        message: z.string(),
        error: z.unknown().optional(),
      })
      .safeParse(item);
    if (
      !parsed.success ||
      parsed.data.type !== CATALOG_PROCESSING_STATUS_TYPE ||
      parsed.data.level !== 'error'
    ) {
      return [];
    }
    return [innermostMessage(parsed.data.error) ?? parsed.data.message];
  });
}

/**
 * True when a stored ZakonRule carries catalog processing errors: its current
 * source failed the gate and the catalog only serves an older version.
 * Anything that asks "is this rule in force?" must treat it as blocked.
 */
export function isZakonRuleBlockedInCatalog(entity: Entity): boolean {
  return (
    entity.kind === FABRIC_KIND_ZAKON_RULE &&
    catalogProcessingErrors(entity).length > 0
  );
}

/**
 * Lists blocked ZAKON rules from the two places the catalog records them:
 *
 * - `unprocessed`: the JSON body of
 *   `GET /api/catalog/entities/unprocessed/pending` (rules never ingested);
 * - `rules`: the ZakonRule entities from the catalog API, e.g.
 *   `catalogApi.getEntities({ filter: { kind: 'ZakonRule' } })` (stored rules
 *   whose newer source was refused).
 *
 * Throws a zod error when `unprocessed` is not the expected response shape.
 */
export function listBlockedZakonRules(input: {
  unprocessed?: unknown;
  rules?: ReadonlyArray<Entity>;
}): BlockedZakonRule[] {
  const blocked: BlockedZakonRule[] = [];

  if (input.unprocessed !== undefined) {
    const response = unprocessedEntitiesResponseSchema.parse(input.unprocessed);
    for (const row of response.entities) {
      const entity = row.unprocessed_entity;
      if (entity.kind !== FABRIC_KIND_ZAKON_RULE || !row.errors?.length) {
        continue;
      }
      const observed = row.last_discovery_at;
      blocked.push({
        ref: stringifyEntityRef({
          kind: entity.kind,
          namespace: entity.metadata.namespace,
          name: entity.metadata.name,
        }),
        name: entity.metadata.name,
        title: entity.metadata.title,
        messages: row.errors.map(
          e => innermostMessage(e) ?? 'unknown processing error',
        ),
        location: entity.metadata.annotations?.[ANNOTATION_LOCATION],
        observedAt:
          observed instanceof Date
            ? observed.toISOString()
            : observed ?? undefined,
        state: 'not-ingested',
      });
    }
  }

  for (const rule of input.rules ?? []) {
    if (!isZakonRuleBlockedInCatalog(rule)) continue;
    blocked.push({
      ref: stringifyEntityRef(rule),
      name: rule.metadata.name,
      title: rule.metadata.title,
      messages: catalogProcessingErrors(rule),
      location: rule.metadata.annotations?.[ANNOTATION_LOCATION],
      state: 'last-approved-version-served',
    });
  }

  return blocked.sort((a, b) => a.ref.localeCompare(b.ref));
}
