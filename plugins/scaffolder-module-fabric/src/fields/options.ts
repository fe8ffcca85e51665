import { JsonObject } from '@backstage/types';
import {
  TenantChangeType,
  tenantBindingRequestSchema,
  tenantQuotasSchema,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';

/**
 * `ui:options` of the tenant change fields: which form fields hold the tenant,
 * the target environment and the change type (the template's names by default).
 */
export const tenantChangeUiOptionsSchema = z.object({
  tenantField: z.string().min(1).default('tenant'),
  environmentField: z.string().min(1).default('environment'),
  changeTypeField: z.string().min(1).default('changeType'),
});

export type TenantChangeUiOptions = z.input<typeof tenantChangeUiOptionsSchema>;

/** The options as the template wrote them, with defaults; a typo falls back to the defaults. */
export function readUiOptions(uiOptions: unknown) {
  const parsed = tenantChangeUiOptionsSchema.safeParse(uiOptions ?? {});
  return parsed.success ? parsed.data : tenantChangeUiOptionsSchema.parse({});
}

/** The tenant, environment and change type the rest of the form chose. */
export function readSiblings(
  formData: JsonObject | undefined,
  uiOptions: unknown,
) {
  const options = readUiOptions(uiOptions);
  const text = (key: string) => {
    const value = formData?.[key];
    return typeof value === 'string' && value.trim() ? value : undefined;
  };
  return {
    tenantRef: text(options.tenantField),
    environment: text(options.environmentField),
    changeType: text(options.changeTypeField) as TenantChangeType | undefined,
  };
}

export interface FieldDescriptor {
  key: string;
  title: string;
  integer: boolean;
  minimum?: number;
}

/** Inputs generated from a domain schema: one per property, titled and typed by the schema. */
function describeFields(schema: z.ZodObject): FieldDescriptor[] {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as { properties: Record<string, Record<string, unknown>> };
  return Object.entries(json.properties).map(([key, property]) => ({
    key,
    title: typeof property.title === 'string' ? property.title : key,
    integer: property.type === 'integer',
    minimum:
      typeof property.minimum === 'number' ? property.minimum : undefined,
  }));
}

export const quotaFields = describeFields(tenantQuotasSchema);
export const bindingFields = describeFields(tenantBindingRequestSchema);

/** `quotas.memoryGiB` -> `Memory (GiB)`; the label of a problem path or diff row. */
export function fieldLabel(path: string): string | undefined {
  const [part, key] = path.split('.');
  const fields = part === 'quotas' ? quotaFields : bindingFields;
  return key ? fields.find(f => f.key === key)?.title : undefined;
}
