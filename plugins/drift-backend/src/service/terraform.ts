import { InputError } from '@backstage/errors';
import {
  DRIFT_LIMITS,
  DriftFindingInput,
  DriftVerdict,
} from '@internal/plugin-drift-common';
import {
  fabricErrorMap,
  formatProblems,
  problemsFromZodError,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { redactTerraformSensitive } from './redaction';

/**
 * The parts of Terraform's JSON plan representation (`terraform show -json
 * <planfile>`, format 1.x) that drift needs. Everything else in the document
 * is accepted and ignored.
 */
const resourceChangeSchema = z.looseObject({
  address: z.string().min(1),
  previous_address: z.string().optional(),
  module_address: z.string().optional(),
  mode: z.enum(['managed', 'data']),
  type: z.string().min(1),
  name: z.string().min(1),
  index: z.union([z.number(), z.string()]).optional(),
  provider_name: z.string().min(1),
  deposed: z.string().optional(),
  change: z.looseObject({
    actions: z
      .array(z.enum(['no-op', 'create', 'read', 'update', 'delete', 'forget']))
      .min(1),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    before_sensitive: z.unknown().optional(),
    after_sensitive: z.unknown().optional(),
  }),
});

export const terraformPlanSchema = z.looseObject({
  format_version: z.string().regex(/^1\.\d+$/, {
    message:
      'must be a Terraform JSON format version 1.x; produce the document with terraform show -json <planfile>',
  }),
  terraform_version: z.string().max(64).optional(),
  resource_drift: z.array(resourceChangeSchema).optional(),
  resource_changes: z
    .array(z.looseObject({ provider_name: z.string().optional() }))
    .optional(),
  configuration: z
    .looseObject({
      provider_config: z
        .record(
          z.string(),
          z.looseObject({
            name: z.string().optional(),
            full_name: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  timestamp: z.string().optional(),
  errored: z.boolean().optional(),
});

export type TerraformPlan = z.infer<typeof terraformPlanSchema>;
type TerraformResourceChange = z.infer<typeof resourceChangeSchema>;

export interface TerraformVerdicts {
  modified: DriftVerdict;
  missing: DriftVerdict;
  unmanaged: DriftVerdict;
}

export interface TerraformMappingOptions {
  /**
   * Whether `null` on one side and an empty list or map on the other (at any depth) count as
   * the same value. Providers write either for "nothing set": the AWS provider reads `tags` back
   * as `{}` where the state holds `null`, which is no change made outside Terraform.
   */
  nullEqualsEmpty: boolean;
}

const DEFAULT_MAPPING_OPTIONS: TerraformMappingOptions = {
  nullEqualsEmpty: true,
};

export interface TerraformMapping {
  findings: DriftFindingInput[];
  /** Every provider the plan covers, drifted or not (those count as PASS). */
  providers: string[];
  terraformVersion?: string;
  /** When Terraform made the plan, if the document says. */
  timestamp?: string;
}

/**
 * `registry.terraform.io/bpg/proxmox` -> `proxmox`. Older documents write
 * `provider.aws` or just `aws`.
 */
export function shortProviderName(providerName: string): string {
  const last = providerName.split('/').pop() ?? providerName;
  const bare = last
    .replace(/^provider\./, '')
    .replace(/^provider\["(.*)"\]$/, '$1');
  const normalised = bare
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return normalised.slice(0, 64) || 'terraform';
}

/** Keeps a value storable: too large a value is replaced by its top-level keys. */
function storable(value: unknown): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  if (json.length <= DRIFT_LIMITS.valueJsonChars) return value;
  return {
    note: 'value too large to store; read it in the plan',
    attributes:
      value && typeof value === 'object' ? Object.keys(value).sort() : [],
  };
}

function isEmptyCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 0
  );
}

/**
 * Whether two attribute values are the same. With `nullEqualsEmpty`, null (or an absent
 * member) and an empty list or map are the same, at any depth. Recursion is safe: the request's
 * depth is bounded at the edge (jsonBodyGuard).
 */
function sameValue(
  a: unknown,
  b: unknown,
  options: TerraformMappingOptions,
): boolean {
  if (options.nullEqualsEmpty) {
    const nothing = (v: unknown) =>
      v === null || v === undefined || isEmptyCollection(v);
    if (nothing(a) && nothing(b)) return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length && a.every((v, i) => sameValue(v, b[i], options))
    );
  }
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].every(k =>
      sameValue(ra[k], rb[k], options),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function changedAttributes(
  before: unknown,
  after: unknown,
  options: TerraformMappingOptions,
): string[] {
  if (
    !before ||
    !after ||
    typeof before !== 'object' ||
    typeof after !== 'object'
  ) {
    return [];
  }
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter(k => !sameValue(b[k], a[k], options))
    .sort();
}

function pick(value: unknown, keys: string[]): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  return Object.fromEntries(keys.map(k => [k, v[k] ?? null]));
}

function listNames(names: string[]): string {
  return names.length > 8
    ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`
    : names.join(', ');
}

/** One resource_drift entry as a finding: before is what Terraform recorded, after what it observed. */
function findingOf(
  entry: TerraformResourceChange,
  verdicts: TerraformVerdicts,
  options: TerraformMappingOptions,
): DriftFindingInput | undefined {
  // Data sources are read every plan; their changes are not drift.
  if (entry.mode === 'data') return undefined;
  const { actions } = entry.change;
  const before = redactTerraformSensitive(
    entry.change.before ?? null,
    entry.change.before_sensitive,
  );
  const after = redactTerraformSensitive(
    entry.change.after ?? null,
    entry.change.after_sensitive,
  );
  const base = {
    provider: shortProviderName(entry.provider_name),
    resource: entry.deposed
      ? `${entry.address} (deposed ${entry.deposed})`
      : entry.address,
    resourceType: entry.type,
  };
  if (actions.includes('delete')) {
    return {
      ...base,
      class: 'missing',
      verdict: verdicts.missing,
      declared: storable(before) as any,
      observed: null,
      message:
        'Deleted outside Terraform: recorded in the state, no longer found',
    };
  }
  if (actions.includes('create')) {
    return {
      ...base,
      class: 'unmanaged',
      verdict: verdicts.unmanaged,
      declared: null,
      observed: storable(after) as any,
      message: 'Created outside Terraform',
    };
  }
  const { before: rawBefore, after: rawAfter } = entry.change;
  if (
    actions.includes('update') &&
    options.nullEqualsEmpty &&
    sameValue(rawBefore ?? null, rawAfter ?? null, options)
  ) {
    // Only null against an empty collection differs (the AWS provider's tags): no drift.
    return {
      ...base,
      class: 'in-sync',
      verdict: 'PASS',
      message:
        'No attribute differs (null and an empty list or map count as the same; drift.terraform.nullEqualsEmpty)',
    };
  }
  if (actions.includes('update')) {
    // Compare before redacting, so a rotated secret shows as changed without its value.
    const changed = changedAttributes(rawBefore, rawAfter, options);
    return {
      ...base,
      class: 'modified',
      verdict: verdicts.modified,
      declared: storable(
        changed.length ? pick(before, changed) : before,
      ) as any,
      observed: storable(changed.length ? pick(after, changed) : after) as any,
      message: changed.length
        ? `Changed outside Terraform: ${listNames(changed)}`
        : 'Changed outside Terraform',
    };
  }
  // ["no-op"] appears in refresh-only plans for resources that only moved.
  return {
    ...base,
    class: 'in-sync',
    verdict: 'PASS',
    message: entry.previous_address
      ? `Moved from ${entry.previous_address}; no attribute differs`
      : 'No attribute differs',
  };
}

/** What only a plan has; a document with none of them says nothing about drift. */
const PLAN_PARTS = ['planned_values', 'resource_changes', 'resource_drift'];

/**
 * Maps Terraform's JSON plan onto drift findings. Refuses documents that are
 * not a plan (a state, an errored plan, an empty document) with a message that
 * says what to post.
 */
export function mapTerraformPlan(
  document: unknown,
  verdicts: TerraformVerdicts,
  options: TerraformMappingOptions = DEFAULT_MAPPING_OPTIONS,
): TerraformMapping {
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new InputError(
      'The body is not a Terraform JSON plan; post the output of terraform show -json <planfile> with Content-Type: application/json',
    );
  }
  const doc = document as Record<string, unknown>;
  if (
    'values' in doc &&
    !('planned_values' in doc) &&
    !('resource_drift' in doc)
  ) {
    throw new InputError(
      'This is a Terraform state, not a plan; run terraform plan -refresh-only -out=drift.tfplan and post terraform show -json drift.tfplan',
    );
  }
  const parsed = terraformPlanSchema.safeParse(document, {
    error: fabricErrorMap,
  });
  if (!parsed.success) {
    throw new InputError(
      `Invalid Terraform plan:\n${formatProblems(
        problemsFromZodError(parsed.error),
      )}`,
    );
  }
  const plan = parsed.data;
  if (plan.errored) {
    throw new InputError(
      'The Terraform plan errored, so its refresh is incomplete and says nothing reliable about drift; fix the plan and post it again',
    );
  }
  if (!PLAN_PARTS.some(part => part in doc)) {
    // `terraform show -json` of an empty workspace, or after a destroy, prints only
    // format_version: stored, it would read as a PASS and hide the last real result.
    throw new InputError(
      `This Terraform document is neither a plan nor a state: it has none of ${PLAN_PARTS.join(
        ', ',
      )} (nor a state's values), so it says nothing about drift. Expected the plan: run terraform plan -refresh-only -out=drift.tfplan and post terraform show -json drift.tfplan`,
    );
  }
  const findings = (plan.resource_drift ?? [])
    .map(entry => findingOf(entry, verdicts, options))
    .filter((f): f is DriftFindingInput => f !== undefined);
  const providers = new Set(findings.map(f => f.provider));
  for (const p of Object.values(plan.configuration?.provider_config ?? {})) {
    const name = p.full_name ?? p.name;
    if (name) providers.add(shortProviderName(name));
  }
  for (const change of plan.resource_changes ?? []) {
    if (change.provider_name) {
      providers.add(shortProviderName(change.provider_name));
    }
  }
  return {
    findings,
    providers: [...providers].sort(),
    terraformVersion: plan.terraform_version,
    timestamp: plan.timestamp,
  };
}
