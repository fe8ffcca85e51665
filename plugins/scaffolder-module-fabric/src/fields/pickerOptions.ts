import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';

/** `ui:options` of `FabricEntityPicker`. */
export const entityTitlePickerUiOptionsSchema = z.object({
  /** A catalog filter, as for the stock EntityPicker, e.g. `{ kind: Tenant }`. */
  catalogFilter: z
    .union([
      z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      z.array(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
    ])
    .optional(),
  /** The kind of a bare name in the form's value or default, e.g. `Group`. */
  defaultKind: z.string().optional(),
  /** Offer only the environments the tenant chosen in this form field lists. */
  environmentsOfTenantField: z.string().min(1).optional(),
});

export type EntityTitlePickerUiOptions = z.input<
  typeof entityTitlePickerUiOptionsSchema
>;

/** The options as the template wrote them; a typo falls back to no filter. */
export function readPickerOptions(uiOptions: unknown) {
  const parsed = entityTitlePickerUiOptionsSchema.safeParse(uiOptions ?? {});
  return parsed.success ? parsed.data : {};
}

/** What a person calls the entity: its title, a user's display name, else its name. */
export function entityTitle(entity: Entity): string {
  const displayName = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile?.displayName;
  return (
    entity.metadata.title ??
    (typeof displayName === 'string' && displayName
      ? displayName
      : undefined) ??
    entity.metadata.name
  );
}

/** Names of the environments a Tenant entity lists (`spec.environments`). */
export function tenantEnvironmentNames(tenant: Entity): string[] {
  const environments = (tenant.spec as { environments?: unknown })
    ?.environments;
  return Array.isArray(environments)
    ? environments
        .filter((e): e is string => typeof e === 'string')
        .map(e => e.slice(e.lastIndexOf('/') + 1))
    : [];
}

/** A bare name or a ref, as the form or a default holds it, as the canonical ref. */
export function canonicalRef(value: string, defaultKind?: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return value;
  }
}

/** The catalog fields `entityTitle` reads (a picker asks the catalog for these only). */
export const TITLE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/** The part after the last `/` of a ref, or the value as it is. */
export const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
