import { Entity } from '@backstage/catalog-model';
import {
  BindingChange,
  Proposal,
  parseProposalChange,
} from '@internal/plugin-approvals-common';
import {
  FabricProblem,
  TenantBinding,
  problemsFromZodError,
  tenantEntitySchema,
  tryCanonicalFabricRef,
} from '@internal/plugin-fabric-common';

/** Reads entities from the catalog (with the plugin's own credentials). */
export interface CatalogLookup {
  getEntity(ref: string): Promise<Entity | undefined>;
}

const DEFAULT_HOLDER = { metadata: { namespace: 'default' } };

function ref(value: string, kind: string): string | undefined {
  return tryCanonicalFabricRef(value, kind, DEFAULT_HOLDER);
}

function sameBinding(a: TenantBinding, b: TenantBinding): boolean {
  return (
    a.workload === b.workload &&
    a.consumer === b.consumer &&
    ref(a.environment, 'Resource') === ref(b.environment, 'Resource')
  );
}

function describeBinding(b: TenantBinding): string {
  return `${b.workload} -> ${b.consumer} in ${b.environment}`;
}

/**
 * The catalog half of a proposal's automatic validation: the tenant, the
 * environment and every referenced entity exist, and the tenant as it would be
 * after the change still satisfies the Tenant schema.
 */
export async function checkAgainstCatalog(
  proposal: Proposal,
  catalog: CatalogLookup,
): Promise<FabricProblem[]> {
  const parsed = parseProposalChange(proposal.type, proposal.change);
  if (!parsed.success) return []; // the schema problems are reported already
  const change = parsed.data as Record<string, any>;
  const problems: FabricProblem[] = [];

  const environment = await catalog.getEntity(proposal.environment);
  if (!environment) {
    problems.push({
      path: 'environment',
      message: `${proposal.environment} is not in the catalog; target one of the catalogued environments`,
    });
  }

  const tenant = await catalog.getEntity(proposal.tenant);
  if (proposal.type === 'new-tenant') {
    return [
      ...problems,
      ...(await checkNewTenant(proposal, change, tenant, catalog)),
    ];
  }
  if (proposal.type === 'new-rule') {
    const rule = await catalog.getEntity(`zakonrule:default/${change.name}`);
    if (rule) {
      problems.push({
        path: 'change.name',
        message: `ZAKON rule ${change.name} already exists; pick a new rule name or propose a change to it`,
      });
    }
    return problems;
  }
  if (proposal.type === 'rule-publish') {
    // Authoring step: only an approved entry that is not active yet gets published.
    const rule = await catalog.getEntity(`zakonrule:default/${change.name}`);
    const status = (rule?.spec as Record<string, unknown> | undefined)?.status;
    if (!rule) {
      problems.push({
        path: 'change.name',
        message: `ZAKON rule ${change.name} is not in the registry; get it approved with a new-rule proposal first`,
      });
    } else if (
      status !== 'approved-pending-author' &&
      status !== 'approved-live'
    ) {
      problems.push({
        path: 'change.name',
        message: `ZAKON rule ${change.name} has status ${String(
          status,
        )}; only an approved-pending-author or approved-live entry is published`,
      });
    }
    return problems;
  }
  if (!tenant) {
    problems.push({
      path: 'tenant',
      message: `${proposal.tenant} is not in the catalog; propose a new tenant first`,
    });
    return problems;
  }
  const spec = tenant.spec as Record<string, any>;
  const tenantEnvironments = ((spec.environments ?? []) as string[]).map(e =>
    (ref(e, 'Resource') ?? e).toLocaleLowerCase('en-US'),
  );
  if (
    (proposal.type === 'binding-change' ||
      proposal.type === 'capacity-change') &&
    !tenantEnvironments.includes(
      proposal.environment.toLocaleLowerCase('en-US'),
    )
  ) {
    problems.push({
      path: 'environment',
      message: `${proposal.tenant} does not run in ${
        proposal.environment
      } (its environments: ${tenantEnvironments.join(
        ', ',
      )}); target one of them`,
    });
  }

  if (proposal.type === 'binding-change') {
    problems.push(
      ...(await checkBindingChange(tenant, change as BindingChange, catalog)),
    );
  }
  if (proposal.type === 'capacity-change') {
    problems.push(
      ...checkResultingTenant(tenant, { ...spec, quotas: change.quotas }),
    );
  }
  if (proposal.type === 'promotion') {
    problems.push(
      ...checkPromotionRungs(proposal.tenant, tenantEnvironments, change),
    );
  }
  return problems;
}

/**
 * A tenant promotes only along a ladder it runs on: `change.from` and `change.to` must both be
 * environments of the tenant (the one-rung-up rule itself is checked at submit).
 */
function checkPromotionRungs(
  tenantRef: string,
  tenantEnvironments: string[],
  change: Record<string, any>,
): FabricProblem[] {
  return (['from', 'to'] as const).flatMap(field => {
    const env = String(change[field]);
    const canonical = (ref(env, 'Resource') ?? env).toLocaleLowerCase('en-US');
    return tenantEnvironments.includes(canonical)
      ? []
      : [
          {
            path: `change.${field}`,
            message: `${tenantRef} does not run in ${env} (its environments: ${tenantEnvironments.join(
              ', ',
            )}); promote only between environments of the tenant`,
          },
        ];
  });
}

async function checkNewTenant(
  proposal: Proposal,
  change: Record<string, any>,
  existing: Entity | undefined,
  catalog: CatalogLookup,
): Promise<FabricProblem[]> {
  const problems: FabricProblem[] = [];
  const expected = `tenant:default/${change.name}`;
  if (proposal.tenant.toLocaleLowerCase('en-US') !== expected) {
    problems.push({
      path: 'change.name',
      message: `${change.name} does not match the proposal's tenant ${proposal.tenant}; use the same name in both`,
    });
  }
  if (existing) {
    problems.push({
      path: 'tenant',
      message: `${proposal.tenant} already exists; propose binding or capacity changes to it instead`,
    });
  }
  const owner = ref(change.spec.owner, 'Group');
  if (!owner || !(await catalog.getEntity(owner))) {
    problems.push({
      path: 'change.spec.owner',
      message: `${change.spec.owner} is not a group in the catalog; name the team that will own the tenant`,
    });
  }
  const environments = change.spec.environments as string[];
  for (const [index, env] of environments.entries()) {
    const envRef = ref(env, 'Resource');
    if (!envRef || !(await catalog.getEntity(envRef))) {
      problems.push({
        path: `change.spec.environments[${index}]`,
        message: `${env} is not an environment in the catalog; pick a catalogued environment`,
      });
    }
  }
  return problems;
}

async function checkBindingChange(
  tenant: Entity,
  change: BindingChange,
  catalog: CatalogLookup,
): Promise<FabricProblem[]> {
  const problems: FabricProblem[] = [];
  const spec = tenant.spec as Record<string, any>;
  const bindings = (spec.bindings ?? []) as TenantBinding[];
  let next = bindings;
  if (change.action === 'add') {
    if (bindings.some(b => sameBinding(b, change.binding))) {
      problems.push({
        path: 'change.binding',
        message: `${describeBinding(
          change.binding,
        )} is already bound; use action replace to change it`,
      });
    }
    next = [...bindings, change.binding];
  } else {
    const target =
      change.action === 'replace' ? change.previous! : change.binding;
    const path =
      change.action === 'replace' ? 'change.previous' : 'change.binding';
    if (!bindings.some(b => sameBinding(b, target))) {
      problems.push({
        path,
        message: `${describeBinding(target)} is not one of ${
          tenant.metadata.name
        }'s bindings; name an existing binding (workload, consumer and environment)`,
      });
    }
    next = bindings.filter(b => !sameBinding(b, target));
    if (change.action === 'replace') next = [...next, change.binding];
  }
  if (change.action !== 'remove' && change.binding.service) {
    const service = ref(change.binding.service, 'Component');
    if (!service || !(await catalog.getEntity(service))) {
      problems.push({
        path: 'change.binding.service',
        message: `${change.binding.service} is not a service in the catalog; bind to a catalogued service`,
      });
    }
  }
  if (problems.length === 0) {
    problems.push(...checkResultingTenant(tenant, { ...spec, bindings: next }));
  }
  return problems;
}

/** The tenant as it would be after the change must still be a valid Tenant. */
function checkResultingTenant(
  tenant: Entity,
  spec: Record<string, unknown>,
): FabricProblem[] {
  const result = tenantEntitySchema.safeParse({ ...tenant, spec });
  if (result.success) return [];
  return problemsFromZodError(result.error).map(p => ({
    path: `resulting tenant: ${p.path}`,
    message: p.message,
  }));
}
