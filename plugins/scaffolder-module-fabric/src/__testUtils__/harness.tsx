import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ComponentType, useState } from 'react';

/** Tenants as in the repository catalog (catalog/tenants.yaml), trimmed to what the fields read. */
export function birds(): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name: 'project-birds', namespace: 'default' },
    spec: {
      owner: 'group:default/team-birds',
      environments: ['samakia-dev', 'samakia-staging', 'samakia-prod'],
      consumers: [
        {
          provider: 'postgres',
          variant: 'cluster',
          enabled: true,
          service: 'component:default/postgresql',
        },
        { provider: 'rabbitmq', variant: 'single', enabled: true },
      ],
      quotas: {
        cpuCores: 8,
        memoryGiB: 32,
        storageGiB: 500,
        maxDatabases: 4,
        maxConnections: 200,
      },
      bindings: [
        {
          workload: 'api',
          consumer: 'postgres',
          environment: 'samakia-prod',
          endpoint: 'postgres-birds.infra.samakia.net:5432',
          service: 'component:default/postgresql',
        },
        {
          workload: 'api',
          consumer: 'postgres',
          environment: 'samakia-dev',
          endpoint: 'postgres-birds-dev.infra.samakia.net:5432',
          service: 'component:default/postgresql',
        },
        {
          workload: 'notifier',
          consumer: 'rabbitmq',
          environment: 'samakia-dev',
          endpoint: 'rabbitmq-birds-dev.infra.samakia.net:5671',
        },
      ],
    },
  };
}

export function orchard(): Entity {
  const tenant = birds() as any;
  tenant.metadata.name = 'project-orchard';
  tenant.spec.owner = 'group:default/team-orchard';
  tenant.spec.quotas = {
    cpuCores: 4,
    memoryGiB: 16,
    storageGiB: 200,
    maxDatabases: 2,
    maxConnections: 100,
  };
  tenant.spec.bindings = [];
  return tenant;
}

export interface HarnessProps {
  field: ComponentType<any>;
  /** The field's name in the form, e.g. `quotas`. */
  name: string;
  /** The other fields of the form (tenant, environment, changeType). */
  siblings: Record<string, unknown>;
  initial?: unknown;
  rawErrors?: string[];
  onValue?: (value: unknown) => void;
  title?: string;
  /** Other fields the user switches to with the "change the other fields" button. */
  laterSiblings?: Record<string, unknown>;
  /** The field's `ui:options`. */
  uiOptions?: Record<string, unknown>;
  /** When true, a "remount" button unmounts and remounts the field (like Back from review). */
  remountable?: boolean;
}

/** Renders a field the way the scaffolder's form does: controlled, with the whole form as context. */
export function Harness(props: HarnessProps) {
  const { field: Field, name, initial, rawErrors, onValue } = props;
  const [value, setValue] = useState<unknown>(initial);
  const [siblings, setSiblings] = useState(props.siblings);
  const [mounted, setMounted] = useState(true);
  return (
    <>
      {props.laterSiblings && (
        <button onClick={() => setSiblings(props.laterSiblings!)}>
          change the other fields
        </button>
      )}
      {props.remountable && (
        <button onClick={() => setMounted(m => !m)}>remount</button>
      )}
      {mounted && (
        <Field
          formData={value}
          onChange={(next: unknown) => {
            setValue(next);
            onValue?.(next);
          }}
          formContext={{ formData: { ...siblings, [name]: value } }}
          uiSchema={{ 'ui:options': props.uiOptions ?? {} }}
          schema={{ title: props.title ?? name, type: 'object' }}
          rawErrors={rawErrors ?? []}
          idSchema={{ $id: `root_${name}` }}
          required={false}
          disabled={false}
          readonly={false}
        />
      )}
    </>
  );
}

export async function renderField(
  props: HarnessProps,
  entities: Entity[] = [birds(), orchard()],
): Promise<{ catalogApi: CatalogApi }> {
  const catalogApi = catalogApiMock({ entities });
  jest.spyOn(catalogApi, 'getEntityByRef');
  await renderInTestApp(<Harness {...props} />, {
    apis: [[catalogApiRef, catalogApi]],
  });
  return { catalogApi };
}
