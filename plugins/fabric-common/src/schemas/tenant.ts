import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  CONSUMER_PROVIDERS,
  CONSUMER_VARIANTS,
  FABRIC_API_VERSION,
  FABRIC_KIND_TENANT,
} from '../constants';
import { describeValue } from '../problems';
import { tryCanonicalFabricRef } from '../refs';
import {
  addDuplicateIssues,
  componentRefField,
  endpointField,
  environmentRefField,
  nonEmptyText,
  ownerRefField,
  planeRefField,
} from './fields';
import { legalHoldSchema } from './legalHold';

export const tenantConsumerSchema = z.strictObject({
  provider: z.enum(CONSUMER_PROVIDERS),
  variant: z.enum(CONSUMER_VARIANTS),
  enabled: z.boolean(),
  ready: z.boolean().optional(),
  service: componentRefField
    .optional()
    .describe(
      'catalog service that provides this primitive, when it is catalogued',
    ),
  plane: planeRefField
    .optional()
    .describe('plane that hosts this primitive, when it is catalogued'),
});

function quota(title: string, unit: string, integer: boolean) {
  const base = integer ? z.int() : z.number();
  return base
    .min(0, {
      error: issue =>
        `${describeValue(
          issue.input,
        )} is negative; a quota is a non-negative ${unit}`,
    })
    .meta({ title });
}

/**
 * Capacity quotas (the tenant's capacity.yml). The titles label the quota
 * inputs of the tenant proposal form, which is generated from this schema.
 */
export const tenantQuotasSchema = z.strictObject({
  cpuCores: quota('CPU cores', 'number of CPU cores', false),
  memoryGiB: quota('Memory (GiB)', 'number of GiB', false),
  storageGiB: quota('Storage (GiB)', 'number of GiB', false),
  maxDatabases: quota('Databases', 'whole number of databases', true),
  maxConnections: quota('Connections', 'whole number of connections', true),
});

export const tenantBindingSchema = z.strictObject({
  workload: nonEmptyText,
  consumer: nonEmptyText.describe(
    "provider of one of the tenant's enabled consumers",
  ),
  environment: environmentRefField.describe(
    "one of the tenant's environments (entity ref to a Resource; a bare name means a Resource in the entity's namespace)",
  ),
  endpoint: endpointField,
  service: componentRefField.optional(),
});

/**
 * One entry of the execute policy allowlist (seed 000, Phase 11 Part 2: "allowlists for
 * env/tenant/provider/variant"); the tenant is the one holding the list. Production entries
 * still need a change window and signed approvals (the approvals rules of that environment).
 */
export const executeAllowlistEntrySchema = z.strictObject({
  environment: environmentRefField.describe(
    "one of the tenant's environments where guarded execute is allowed",
  ),
  provider: z.enum(CONSUMER_PROVIDERS),
  variant: z.enum(CONSUMER_VARIANTS),
});

export const tenantSpecSchema = z
  .strictObject({
    owner: ownerRefField,
    environments: z
      .array(environmentRefField)
      .min(1)
      .describe('each environment listed once'),
    consumers: z
      .array(tenantConsumerSchema)
      .describe('one consumer per provider'),
    quotas: tenantQuotasSchema.describe("the tenant's capacity.yml"),
    bindings: z
      .array(tenantBindingSchema)
      .optional()
      .describe(
        'unique per workload, consumer and environment; each names an enabled consumer',
      ),
    executeAllowlist: z
      .array(executeAllowlistEntrySchema)
      .optional()
      .describe(
        "where guarded execute is allowed, per environment, provider and variant: only the tenant's environments and consumers, with the consumer's variant, each once",
      ),
    drTestCases: z
      .array(nonEmptyText)
      .optional()
      .describe('disaster-recovery test cases the tenant runs'),
    legalHold: legalHoldSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    addDuplicateIssues(
      ctx,
      spec.consumers.map(c => c.provider),
      ['consumers'],
      provider =>
        `provider '${provider}' appears twice; a tenant has one consumer per provider, merge them`,
    );

    const known = spec.consumers.map(c => c.provider as string);
    const enabled = new Set(
      spec.consumers.filter(c => c.enabled).map(c => c.provider as string),
    );
    const knownList = known.length ? known.join(', ') : 'none';
    (spec.bindings ?? []).forEach((binding, index) => {
      if (!known.includes(binding.consumer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bindings', index, 'consumer'],
          message: `'${binding.consumer}' is not one of this tenant's consumers (${knownList}); add a consumer with that provider or fix the name`,
        });
      } else if (!enabled.has(binding.consumer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bindings', index, 'consumer'],
          message: `consumer '${binding.consumer}' is disabled; enable it in spec.consumers or remove the binding`,
        });
      }
    });
    // The first consumer of a provider counts (a second one is reported above).
    const consumers = new Map<string, (typeof spec.consumers)[number]>();
    for (const c of spec.consumers) {
      if (!consumers.has(c.provider)) consumers.set(c.provider, c);
    }
    (spec.executeAllowlist ?? []).forEach((entry, index) => {
      const consumer = consumers.get(entry.provider);
      if (!consumer) {
        ctx.addIssue({
          code: 'custom',
          path: ['executeAllowlist', index, 'provider'],
          message: `'${entry.provider}' is not one of this tenant's consumers (${knownList}); list only providers the tenant consumes`,
        });
      } else if (consumer.variant !== entry.variant) {
        ctx.addIssue({
          code: 'custom',
          path: ['executeAllowlist', index, 'variant'],
          message: `the tenant's ${entry.provider} consumer is ${consumer.variant}, not ${entry.variant}; allow the variant it runs`,
        });
      }
    });
    addDuplicateIssues(
      ctx,
      (spec.executeAllowlist ?? []).map(
        e => `${e.environment}/${e.provider}/${e.variant}`,
      ),
      ['executeAllowlist'],
      entry => `'${entry}' is listed twice; list it once`,
    );
  });

export const tenantEntitySchema = z
  .looseObject({
    apiVersion: z.literal(FABRIC_API_VERSION),
    kind: z.literal(FABRIC_KIND_TENANT),
    metadata: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
    }),
    spec: tenantSpecSchema,
  })
  .superRefine((entity, ctx) => {
    // Compared as resolved refs so `samakia-prod` and
    // `resource:default/samakia-prod` count as the same environment.
    const environments = entity.spec.environments.map(
      env => tryCanonicalFabricRef(env, 'Resource', entity) ?? env,
    );
    addDuplicateIssues(
      ctx,
      environments,
      ['spec', 'environments'],
      env => `${env} is listed twice; list each environment once`,
    );
    (entity.spec.executeAllowlist ?? []).forEach((entry, index) => {
      const env = tryCanonicalFabricRef(entry.environment, 'Resource', entity);
      if (env && environments.length > 0 && !environments.includes(env)) {
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'executeAllowlist', index, 'environment'],
          message: `${
            entry.environment
          } is not one of the tenant's environments (${entity.spec.environments.join(
            ', ',
          )}); allow execute only where the tenant runs`,
        });
      }
    });
    (entity.spec.bindings ?? []).forEach((binding, index) => {
      const env = tryCanonicalFabricRef(
        binding.environment,
        'Resource',
        entity,
      );
      // With no environments at all, that one problem is reported already.
      if (env && environments.length > 0 && !environments.includes(env)) {
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'bindings', index, 'environment'],
          message: `${
            binding.environment
          } is not one of the tenant's environments (${entity.spec.environments.join(
            ', ',
          )}); add it to spec.environments or bind to one of them`,
        });
      }
    });
    addDuplicateIssues(
      ctx,
      (entity.spec.bindings ?? []).map(
        b =>
          `${b.workload} -> ${b.consumer} in ${
            tryCanonicalFabricRef(b.environment, 'Resource', entity) ??
            b.environment
          }`,
      ),
      ['spec', 'bindings'],
      key => `binding ${key} is declared twice; keep one`,
    );
  });

export type ConsumerProvider = (typeof CONSUMER_PROVIDERS)[number];
export type ConsumerVariant = (typeof CONSUMER_VARIANTS)[number];
export type TenantConsumer = z.infer<typeof tenantConsumerSchema>;
export type TenantQuotas = z.infer<typeof tenantQuotasSchema>;
export type TenantBinding = z.infer<typeof tenantBindingSchema>;
export type TenantSpec = z.infer<typeof tenantSpecSchema>;

/** A `kind: Tenant` entity whose spec passed {@link tenantSpecSchema}. */
export interface TenantEntity extends Entity {
  apiVersion: typeof FABRIC_API_VERSION;
  kind: typeof FABRIC_KIND_TENANT;
  spec: TenantSpec;
}
