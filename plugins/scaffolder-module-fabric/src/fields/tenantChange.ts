import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  TenantChangePlan,
  TenantChangeType,
  TenantEntity,
  checkTenantChange,
  parseTenantEntity,
} from '@internal/plugin-fabric-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { fieldLabel, readSiblings } from './options';

// Both fields (quotas and binding) work the same way: read the tenant the form chose from the
// catalog as the signed-in user, and plan the requested change against it with the domain's
// planTenantChange - the function fabric:tenant:diff runs again after submit.

export const partOf = (changeType: TenantChangeType) =>
  changeType === 'capacity-change' ? 'quotas' : 'binding';

export const notYourTenant = (ref: string) =>
  `${ref} is not in the catalog, or is not one of your tenants; pick one of the tenants your group owns`;

export interface TenantChangeState {
  tenantRef?: string;
  environment?: string;
  loading: boolean;
  /** Why there is nothing to plan against (catalog error, unknown or invalid tenant). */
  tenantProblem?: string;
  tenant?: TenantEntity;
  /** Undefined until both tenant and environment are chosen. */
  plan?: TenantChangePlan;
}

/** The tenant as the signed-in user may read it; a bare name is a Tenant in `default`. */
async function fetchTenant(catalogApi: CatalogApi, ref: string) {
  let tenantRef;
  try {
    tenantRef = parseEntityRef(ref, {
      defaultKind: 'Tenant',
      defaultNamespace: 'default',
    });
  } catch {
    return undefined;
  }
  return (await catalogApi.getEntityByRef(tenantRef)) as Entity | undefined;
}

/** The chosen tenant's current entity and the live plan of the requested change. */
export function useTenantChange(
  changeType: TenantChangeType,
  value: unknown,
  formData: any,
  uiOptions: unknown,
): TenantChangeState {
  const catalogApi = useApi(catalogApiRef);
  const { tenantRef, environment } = readSiblings(formData, uiOptions);
  const fetched = useAsync(
    async () => (tenantRef ? fetchTenant(catalogApi, tenantRef) : undefined),
    [catalogApi, tenantRef],
  );
  const entity = fetched.value;
  const parsed = useMemo(
    () => (entity ? parseTenantEntity(entity) : undefined),
    [entity],
  );
  const plan = useMemo(
    () =>
      entity && environment
        ? checkTenantChange(entity, {
            environment,
            changeType,
            [partOf(changeType)]: value,
          })
        : undefined,
    [entity, environment, changeType, value],
  );

  let tenantProblem: string | undefined;
  if (fetched.error) {
    tenantProblem = `Could not read ${tenantRef} from the catalog: ${fetched.error.message}`;
  } else if (tenantRef && !fetched.loading && !entity) {
    tenantProblem = notYourTenant(tenantRef);
  } else if (parsed && !parsed.success) {
    tenantProblem = `${parsed.message}\nAsk an operator to fix the tenant's entry.`;
  }
  return {
    tenantRef,
    environment,
    loading: fetched.loading,
    tenantProblem,
    tenant: parsed?.success ? parsed.data : undefined,
    plan,
  };
}

/** Messages of a failed plan for one request path (`quotas.memoryGiB`), or for the rest. */
export function problemsAt(
  plan: TenantChangePlan | undefined,
  match: (path: string) => boolean,
): string[] {
  return plan && !plan.ok
    ? plan.problems.filter(p => match(p.path)).map(p => p.message)
    : [];
}

/**
 * The field's `validation` hook: the same check as the live form, run when the user presses
 * Next or Review, so a change the domain refuses never reaches the review step.
 */
export function tenantChangeValidation(
  changeType: TenantChangeType,
): CustomFieldValidator<unknown, unknown> {
  return async (value, validation, { apiHolder, formData, uiSchema }) => {
    const siblings = readSiblings(formData, uiSchema?.['ui:options']);
    // A value left over from the other change type is not submitted; don't judge it.
    if (siblings.changeType && siblings.changeType !== changeType) return;
    // The tenant and environment pickers report their own missing values.
    if (!siblings.tenantRef || !siblings.environment) return;
    const catalogApi = apiHolder.get(catalogApiRef);
    if (!catalogApi) {
      validation.addError(
        'The catalog is not available, so the change cannot be checked; reload the page',
      );
      return;
    }
    const entity = await fetchTenant(catalogApi, siblings.tenantRef);
    if (!entity) {
      validation.addError(notYourTenant(siblings.tenantRef));
      return;
    }
    const plan = checkTenantChange(entity, {
      environment: siblings.environment,
      changeType,
      [partOf(changeType)]: value,
    });
    if (!plan.ok) {
      for (const problem of plan.problems) {
        const label = fieldLabel(problem.path);
        validation.addError(
          label ? `${label}: ${problem.message}` : problem.message,
        );
      }
    }
  };
}
