import { Entity } from '@backstage/catalog-model';
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
