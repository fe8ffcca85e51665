import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { birds, orchard } from '../__testUtils__/harness';
import { EntityTitlePicker } from './EntityTitlePicker';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const environment = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'environment', owner: 'group:default/platform-operators' },
});

const titled = (tenant: Entity, title: string): Entity => ({
  ...tenant,
  metadata: { ...tenant.metadata, title },
});

const entities = [
  titled(birds(), 'Project Birds'),
  titled(orchard(), 'Project Orchard'),
  environment('samakia-dev', 'Samakia development'),
  environment('samakia-staging', 'Samakia staging'),
  environment('samakia-prod', 'Samakia production'),
  environment('alai-prod', 'ALAI production'),
];

/** The tenant and environment pickers of the Tenant proposal form, as the scaffolder renders them. */
function Form(props: { onValues: (values: Record<string, unknown>) => void }) {
  const [values, setValues] = useState<Record<string, unknown>>({});
  const set = (key: string) => (value: unknown) => {
    const next = { ...values, [key]: value };
    setValues(next);
    props.onValues(next);
  };
  const common = {
    formContext: { formData: values },
    rawErrors: [],
    disabled: false,
    readonly: false,
    required: true,
  };
  return (
    <>
      <EntityTitlePicker
        {...(common as any)}
        formData={values.tenant}
        onChange={set('tenant')}
        schema={{ title: 'Tenant', type: 'string' }}
        uiSchema={{
          'ui:options': {
            catalogFilter: { kind: 'Tenant' },
            defaultKind: 'Tenant',
          },
        }}
        idSchema={{ $id: 'root_tenant' }}
      />
      <EntityTitlePicker
        {...(common as any)}
        formData={values.environment}
        onChange={set('environment')}
        schema={{ title: 'Target environment', type: 'string' }}
        uiSchema={{
          'ui:options': {
            catalogFilter: { kind: 'Resource', 'spec.type': 'environment' },
            environmentsOfTenantField: 'tenant',
          },
        }}
        idSchema={{ $id: 'root_environment' }}
      />
    </>
  );
}

describe('FabricEntityPicker', () => {
  it("shows titles, stores refs, and offers only the chosen tenant's environments", async () => {
    const onValues = jest.fn();
    await renderInTestApp(<Form onValues={onValues} />, {
      apis: [[catalogApiRef, catalogApiMock({ entities })]],
    });
    const user = userEvent.setup();

    // Without a tenant there is no environment to offer.
    await user.click(
      await screen.findByRole('combobox', { name: /Target environment/ }),
    );
    expect(
      await screen.findByText('Choose the tenant first', {}, patience),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: /Tenant/ }));
    const options = await screen.findAllByRole('option', {}, patience);
    expect(options.map(o => o.textContent)).toEqual([
      'Project Birds',
      'Project Orchard',
    ]);
    await user.click(screen.getByRole('option', { name: 'Project Birds' }));
    expect(screen.getByRole('combobox', { name: /Tenant/ })).toHaveValue(
      'Project Birds',
    );
    expect(onValues).toHaveBeenLastCalledWith({
      tenant: 'tenant:default/project-birds',
    });
    expect(screen.queryByText(/tenant:default\//)).toBeNull();

    await user.click(
      screen.getByRole('combobox', { name: /Target environment/ }),
    );
    await waitFor(
      () =>
        expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
          'Samakia development',
          'Samakia production',
          'Samakia staging',
        ]),
      patience,
    );
    // ALAI production is not one of the birds' environments.
    expect(
      screen.queryByRole('option', { name: 'ALAI production' }),
    ).toBeNull();
    await user.click(
      screen.getByRole('option', { name: 'Samakia production' }),
    );
    expect(onValues).toHaveBeenLastCalledWith({
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-prod',
    });
  });
});
