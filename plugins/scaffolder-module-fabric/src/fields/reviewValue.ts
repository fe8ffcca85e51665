import { CatalogApi } from '@backstage/plugin-catalog-react';
import { JsonObject, JsonValue } from '@backstage/types';
import type { DriftApi } from '@internal/plugin-drift';
import type { EvidenceApi } from '@internal/plugin-evidence';
import { z } from 'zod';
import {
  PACKET_KIND_LABELS,
  listCitablePackets,
  listCitableRuns,
  packetTitle,
  shortId,
  shortTime,
} from './citationSources';
import { readSiblings, tenantChangeUiOptionsSchema } from './options';
import {
  TITLE_FIELDS,
  canonicalRef,
  entityTitle,
  refName,
} from './pickerOptions';

// The scaffolder's Review step lists the form's values as they are stored: entity refs
// (`tenant:default/project-birds`), packet and run uuids. It knows no way to show them otherwise
// (only `ui:backstage.review` and static enumNames), so a template hides the stored value from
// the Review (`review.show: false`) and adds a display-only field, `FabricReviewValue`, whose
// value is the same choice as a person reads it (`Project Birds`). No step reads it.

/**
 * `ui:options` of `FabricReviewValue`: which field it names (`of`), what that field holds
 * (`as`), and for evidence packets and drift runs, which fields hold the tenant and environment.
 */
export const reviewValueUiOptionsSchema = tenantChangeUiOptionsSchema.extend({
  /** The form field whose value the Review lists this way. */
  of: z.string().min(1),
  /** Entity refs (one or a list), cited evidence packets, or cited drift runs. */
  as: z
    .enum(['entities', 'evidence-packets', 'drift-runs'])
    .default('entities'),
  /** For a list of objects (e.g. bindings): the property of each item holding a ref. */
  at: z.string().min(1).optional(),
  /** The kind of a bare name in the value, as for the picker. */
  defaultKind: z.string().optional(),
});

export type ReviewValueUiOptions = z.input<typeof reviewValueUiOptionsSchema>;
export type ReviewValueOptions = z.output<typeof reviewValueUiOptionsSchema>;

/** The options as the template wrote them; undefined when they name no field. */
export function readReviewValueOptions(
  uiOptions: unknown,
): ReviewValueOptions | undefined {
  const parsed = reviewValueUiOptionsSchema.safeParse(uiOptions ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** What a person calls each item, by canonical ref or id; a missing one reads in short. */
export type ReviewNames = ReadonlyMap<string, string>;

/** The APIs the pickers read the same items with, as the signed-in user. */
export interface ReviewApis {
  catalogApi: Pick<CatalogApi, 'getEntitiesByRefs'>;
  evidenceApi: Pick<EvidenceApi, 'listPackets'>;
  driftApi: Pick<DriftApi, 'getHistory'>;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const filled = (value: unknown): value is unknown[] =>
  Array.isArray(value) && value.length > 0;

/** The refs the value holds (itself, its items, or each item's `at`), canonical. */
function refsIn(options: ReviewValueOptions, value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  const refs = items
    .map(item => (options.at && isObject(item) ? item[options.at] : item))
    .filter((ref): ref is string => typeof ref === 'string' && ref !== '')
    .map(ref => canonicalRef(ref, options.defaultKind));
  return [...new Set(refs)];
}

function presentEntities(
  options: ReviewValueOptions,
  value: unknown,
  names: ReviewNames,
): JsonValue | undefined {
  const title = (ref: unknown) => {
    if (typeof ref !== 'string' || !ref) return ref;
    const canonical = canonicalRef(ref, options.defaultKind);
    return names.get(canonical) ?? refName(canonical);
  };
  if (typeof value === 'string')
    return value ? (title(value) as string) : undefined;
  if (!filled(value)) return undefined;
  const at = options.at;
  return value.map(item =>
    at && isObject(item) ? { ...item, [at]: title(item[at]) } : title(item),
  ) as JsonValue;
}

/** What the Review lists for a proposal that cites nothing of a kind. */
export const NONE_CITED = ['None cited'];

/** `Verification — Birds capacity acceptance`, one line per cited packet. */
function presentPackets(value: unknown, names: ReviewNames) {
  if (!filled(value)) return NONE_CITED;
  return value.filter(isObject).map(pick => {
    const id = String(pick.packetId);
    const kind = String(pick.kind);
    const label = PACKET_KIND_LABELS[kind as keyof typeof PACKET_KIND_LABELS];
    return `${label ?? kind} — ${names.get(id) ?? shortId(id)}`;
  });
}

/** `2026-11-20 10:00 UTC — FAIL (ci/drift-nightly)`, one line per cited run. */
function presentRuns(value: unknown, names: ReviewNames) {
  if (!filled(value)) return NONE_CITED;
  return value
    .filter((id): id is string => typeof id === 'string')
    .map(id => names.get(id) ?? `Drift run ${shortId(id)}`);
}

/**
 * The value as the Review step lists it, given the names read so far: titles for refs, a line
 * per cited packet or run ("None cited" for none). Undefined when no entity is picked.
 */
export function presentForReview(
  options: ReviewValueOptions,
  value: unknown,
  names: ReviewNames,
): JsonValue | undefined {
  switch (options.as) {
    case 'evidence-packets':
      return presentPackets(value, names);
    case 'drift-runs':
      return presentRuns(value, names);
    default:
      return presentEntities(options, value, names);
  }
}

async function readNames(
  options: ReviewValueOptions,
  form: JsonObject | undefined,
  apis: ReviewApis,
): Promise<ReviewNames> {
  const value = form?.[options.of];
  const { tenantRef, environment } = readSiblings(form, options);
  if (options.as === 'evidence-packets') {
    if (!tenantRef || !filled(value)) return new Map();
    const packets = await listCitablePackets(apis.evidenceApi, tenantRef);
    return new Map(packets.map(p => [p.id, packetTitle(p)]));
  }
  if (options.as === 'drift-runs') {
    if (!tenantRef || !environment || !filled(value)) return new Map();
    const runs = await listCitableRuns(apis.driftApi, tenantRef, environment);
    return new Map(
      runs.map(run => [
        run.id,
        `${shortTime(run.observedAt)} — ${run.verdict} (${run.source})`,
      ]),
    );
  }
  const refs = refsIn(options, value);
  if (refs.length === 0) return new Map();
  const { items } = await apis.catalogApi.getEntitiesByRefs({
    entityRefs: refs,
    fields: TITLE_FIELDS,
  });
  return new Map(
    refs.flatMap((ref, i): Array<[string, string]> => {
      const entity = items[i];
      return entity ? [[ref, entityTitle(entity)]] : [];
    }),
  );
}

/**
 * Reads what a person calls the chosen items, with the same APIs (and so the same
 * permissions) as the pickers, and presents the value for the Review step. Never fails: an item
 * that cannot be read (API down, no longer readable) is listed in its short form instead.
 */
export async function describeForReview(
  options: ReviewValueOptions,
  form: JsonObject | undefined,
  apis: ReviewApis,
): Promise<JsonValue | undefined> {
  let names: ReviewNames;
  try {
    names = await readNames(options, form, apis);
  } catch {
    names = new Map();
  }
  return presentForReview(options, form?.[options.of], names);
}
