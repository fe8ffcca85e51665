import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { BINDING_CHANGE_ACTIONS, TENANT_CHANGE_TYPES } from './constants';
import {
  FabricProblem,
  fabricErrorMap,
  formatFieldPath,
  problemsFromZodError,
} from './problems';
import { tryCanonicalFabricRef } from './refs';
import { withoutBlankFields } from './schemas/fields';
import {
  TenantBinding,
  TenantEntity,
  TenantQuotas,
  TenantSpec,
  tenantBindingSchema,
  tenantEntitySchema,
  tenantQuotasSchema,
} from './schemas/tenant';

// A tenant asks for a capacity or binding change against its current entity. The scaffolder
// form (live, before submit) and the fabric:tenant:diff action (after submit) both plan the
// change here, so the difference the form shows is the one the proposal carries.

const quota = tenantQuotasSchema.shape;
const binding = tenantBindingSchema.shape;

/** Requested quotas of a capacity change: a quota left out keeps its current value. */
export const tenantQuotasRequestSchema = tenantQuotasSchema.partial();

/**
 * A requested binding change. `replace` and `remove` name the current binding
 * by workload and consumer (in the target environment); the endpoint may only
 * be left out to `remove`, a service left out keeps the bound service.
 */
export const tenantBindingRequestSchema = z.strictObject({
  action: z.enum(BINDING_CHANGE_ACTIONS).meta({ title: 'Action' }),
  workload: binding.workload.meta({ title: 'Workload' }),
  consumer: binding.consumer.meta({ title: 'Consumer' }),
  endpoint: binding.endpoint.meta({ title: 'Endpoint' }).optional(),
  service: binding.service
    .unwrap()
    .meta({ title: 'Catalog service' })
    .optional(),
});

export type TenantChangeType = (typeof TENANT_CHANGE_TYPES)[number];
export type BindingChangeAction = (typeof BINDING_CHANGE_ACTIONS)[number];
export type TenantQuotasRequest = z.output<typeof tenantQuotasRequestSchema>;
export type TenantBindingRequest = z.output<typeof tenantBindingRequestSchema>;

export interface TenantChangeRequest {
  /** Target environment, a bare name or a full ref; a binding change binds in it. */
  environment: string;
  changeType: TenantChangeType;
  quotas?: TenantQuotasRequest;
  binding?: TenantBindingRequest;
}

/** One line of the difference: a field, its current and its requested value. */
export interface TenantChangeRow {
  /** `quotas.<name>` or `binding <workload> → <consumer> in <environment>`. */
  field: string;
  current: string;
  requested: string;
}

/** The change a proposal carries (the approvals' binding-change / capacity-change shape). */
export type TenantChange =
  | { quotas: TenantQuotas }
  | { action: 'add' | 'remove'; binding: TenantBinding }
  | { action: 'replace'; binding: TenantBinding; previous: TenantBinding };

export type TenantChangePlan =
  | {
      ok: true;
      change: TenantChange;
      rows: TenantChangeRow[];
      /** Generated proposal title. */
      title: string;
      /** The target environment as the tenant writes it (usually the bare name). */
      environment: string;
    }
  | {
      ok: false;
      /**
       * Paths name the request field at fault (`environment`, `quotas`,
       * `quotas.memoryGiB`, `binding.endpoint`, ...); empty for the whole change.
       */
      problems: FabricProblem[];
    };

const show = (value: unknown) =>
  value === undefined || value === '' ? '—' : String(value);

const describeBinding = (b: {
  workload: string;
  consumer: string;
  environment: string;
}) => `${b.workload} → ${b.consumer} in ${b.environment}`;

const describeTarget = (b: { endpoint: string; service?: string }) =>
  `${b.endpoint}${b.service ? ` (${b.service})` : ''}`;

const fail = (path: string, message: string): TenantChangePlan => ({
  ok: false,
  problems: [{ path, message }],
});

/**
 * Plans a capacity or binding change against the tenant's current entity:
 * blank quotas keep their values, replace and remove find the current binding,
 * and the tenant as it would be after the change must still be valid.
 * Refuses a change that changes nothing.
 */
export function planTenantChange(
  tenant: TenantEntity,
  request: TenantChangeRequest,
): TenantChangePlan {
  const name = tenant.metadata.name;
  const envName = (value: string) =>
    tryCanonicalFabricRef(value, 'Resource', tenant) ?? value;
  const target = envName(request.environment);
  const environment = tenant.spec.environments.find(e => envName(e) === target);
  if (!environment) {
    return fail(
      'environment',
      `${name} does not run in ${
        request.environment
      } (its environments: ${tenant.spec.environments.join(
        ', ',
      )}); pick one of them`,
    );
  }

  const rows: TenantChangeRow[] = [];
  let change: TenantChange;
  let nextSpec: TenantSpec;
  let title: string;
  /** Where problems of the tenant after the change point to in the request. */
  let bindingIndex = -1;

  if (request.changeType === 'capacity-change') {
    const requested: TenantQuotas = { ...tenant.spec.quotas };
    for (const key of Object.keys(quota) as Array<keyof TenantQuotas>) {
      const value = request.quotas?.[key];
      if (value !== undefined && value !== requested[key]) {
        rows.push({
          field: `quotas.${key}`,
          current: show(tenant.spec.quotas[key]),
          requested: show(value),
        });
        requested[key] = value;
      }
    }
    if (rows.length === 0) {
      return fail(
        'quotas',
        `The requested quotas equal the current quotas of ${name}; change at least one quota`,
      );
    }
    change = { quotas: requested };
    nextSpec = { ...tenant.spec, quotas: requested };
    title = `Capacity change for ${name} in ${environment}: ${rows
      .map(
        r => `${r.field.replace('quotas.', '')} ${r.current} → ${r.requested}`,
      )
      .join(', ')}`;
  } else {
    if (!request.binding) {
      return fail(
        'binding',
        'binding is missing; a binding change names the workload, the consumer and (to add or replace) the endpoint',
      );
    }
    const { action, workload, consumer, endpoint, service } = request.binding;
    const bindings = tenant.spec.bindings ?? [];
    const same = (b: TenantBinding) =>
      b.workload === workload &&
      b.consumer === consumer &&
      envName(b.environment) === target;
    const current = bindings.find(same);
    const key = describeBinding({ workload, consumer, environment });
    if (action === 'add' && current) {
      return fail(
        'binding.action',
        `${key} is already bound to ${current.endpoint}; choose replace to change it`,
      );
    }
    if (action !== 'add' && !current) {
      const existing = bindings
        .filter(b => envName(b.environment) === target)
        .map(describeBinding);
      return fail(
        'binding.action',
        `${key} is not one of ${name}'s bindings (in ${environment}: ${
          existing.length ? existing.join('; ') : 'none'
        }); choose add, or name an existing workload and consumer`,
      );
    }
    if (action === 'remove') {
      change = { action, binding: current! };
      nextSpec = { ...tenant.spec, bindings: bindings.filter(b => !same(b)) };
      rows.push({
        field: `binding ${key}`,
        current: describeTarget(current!),
        requested: 'removed',
      });
    } else {
      if (!endpoint) {
        return fail(
          'binding.endpoint',
          `binding.endpoint is missing; to ${action} a binding give its endpoint as host:port`,
        );
      }
      // Like blank quotas, a blank service keeps the current binding's service.
      const boundService = service ?? current?.service;
      const next: TenantBinding = {
        workload,
        consumer,
        environment,
        endpoint,
        ...(boundService ? { service: boundService } : {}),
      };
      if (
        current &&
        current.endpoint === next.endpoint &&
        (current.service ?? '') === (next.service ?? '')
      ) {
        return fail(
          'binding.endpoint',
          `${key} already points at ${next.endpoint}; give a new endpoint or service`,
        );
      }
      change =
        action === 'add'
          ? { action, binding: next }
          : { action, binding: next, previous: current! };
      const others = bindings.filter(b => !same(b));
      bindingIndex = others.length;
      nextSpec = { ...tenant.spec, bindings: [...others, next] };
      rows.push({
        field: `binding ${key}`,
        current: current ? describeTarget(current) : '—',
        requested: describeTarget(next),
      });
    }
    title = `${action[0].toUpperCase()}${action.slice(
      1,
    )} binding ${key} for ${name}`;
  }

  // The tenant after the change must still be a valid Tenant (consumer enabled, ...).
  const after = tenantEntitySchema.safeParse(
    { ...tenant, spec: nextSpec },
    { error: fabricErrorMap },
  );
  if (!after.success) {
    return {
      ok: false,
      problems: after.error.issues.map(issue => {
        const [spec, list, index, field] = issue.path;
        const atRequestedBinding =
          spec === 'spec' &&
          list === 'bindings' &&
          index === bindingIndex &&
          typeof field === 'string' &&
          issue.path.length === 4;
        return atRequestedBinding
          ? { path: `binding.${field}`, message: issue.message }
          : {
              path: '',
              message: `${name} after this change: ${formatFieldPath(
                issue.path,
              )}: ${issue.message}`,
            };
      }),
    };
  }

  return { ok: true, change, rows, title, environment };
}

/**
 * {@link planTenantChange} for untrusted input, as a form has it: the tenant
 * entity as read from the catalog and the requested quotas or binding as
 * typed. Problems name the request field they are about.
 */
export function checkTenantChange(
  entity: unknown,
  request: {
    environment: string;
    changeType: TenantChangeType;
    quotas?: unknown;
    binding?: unknown;
  },
): TenantChangePlan {
  const tenant = tenantEntitySchema.safeParse(entity, {
    error: fabricErrorMap,
  });
  if (!tenant.success) {
    let ref = 'the tenant';
    try {
      ref = stringifyEntityRef(entity as TenantEntity);
    } catch {
      // Not even a ref; keep the generic subject.
    }
    return {
      ok: false,
      problems: problemsFromZodError(tenant.error).map(p => ({
        path: '',
        message: `The current entity of ${ref} is invalid (${
          p.path ? `${p.path}: ` : ''
        }${p.message}); ask an operator to fix it`,
      })),
    };
  }
  const part =
    request.changeType === 'capacity-change'
      ? ({ key: 'quotas', schema: tenantQuotasRequestSchema } as const)
      : ({ key: 'binding', schema: tenantBindingRequestSchema } as const);
  // A form sends blank inputs as '' or null: not given.
  const value = withoutBlankFields(request[part.key]);
  let parsed: unknown = undefined;
  if (value !== undefined && value !== null) {
    const result = part.schema.safeParse(value, { error: fabricErrorMap });
    if (!result.success) {
      return {
        ok: false,
        problems: problemsFromZodError(result.error).map(p => ({
          path: p.path ? `${part.key}.${p.path}` : part.key,
          message: p.message,
        })),
      };
    }
    parsed = result.data;
  }
  return planTenantChange(tenant.data as TenantEntity, {
    environment: request.environment,
    changeType: request.changeType,
    [part.key]: parsed,
  });
}
