import fs from 'node:fs';
import path from 'node:path';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parse } from 'yaml';
import { driftApiRef } from '@internal/plugin-drift';
import { evidenceApiRef } from '@internal/plugin-evidence';
import { driftApi, evidenceApi } from '../__testUtils__/citations';
import { birds } from '../__testUtils__/harness';
import { ChangeDifferenceField } from './ChangeDifferenceField';
import { ReviewValueField } from './ReviewValueField';
import { TenantBindingField } from './TenantBindingField';
import { TenantQuotasField } from './TenantQuotasField';
import { tenantChangeValidation } from './tenantChange';

// The real Tenant proposal template in the scaffolder's own form (Stepper), with these fields as
// its field extensions: the ui:field names of the template, the validation hook blocking Review
// and the value the form hands to the task.

jest.setTimeout(60_000);

const template = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../templates/tenant-proposal/template.yaml',
    ),
    'utf8',
  ),
);

const extensions = [
  {
    name: 'FabricTenantQuotas',
    component: TenantQuotasField,
    validation: tenantChangeValidation('capacity-change'),
  },
  {
    name: 'FabricTenantBinding',
    component: TenantBindingField,
    validation: tenantChangeValidation('binding-change'),
  },
  { name: 'FabricChangeDifference', component: ChangeDifferenceField },
  { name: 'FabricReviewValue', component: ReviewValueField },
  // The pickers (FabricEntityPicker, the citation pickers) are tested on their own; the test
  // starts with the entity pickers' values chosen and cites nothing.
  { name: 'FabricEntityPicker', component: () => null },
  { name: 'FabricEvidencePackets', component: () => null },
  { name: 'FabricDriftRuns', component: () => null },
];

beforeAll(() => {
  // The Stepper scrolls to the top on every step; jsdom has no scrolling.
  window.scrollTo = jest.fn() as any;
});

// Role queries over the scaffolder's form are slow on a busy machine.
const patience = { timeout: 15_000 };

async function choose(label: RegExp, option: RegExp) {
  await userEvent.click(
    await screen.findByRole('combobox', { name: label }, patience),
  );
  await userEvent.click(
    within(await screen.findByRole('listbox', undefined, patience)).getByRole(
      'option',
      {
        name: option,
      },
    ),
  );
}

const titledBirds = {
  ...birds(),
  metadata: {
    name: 'project-birds',
    namespace: 'default',
    title: 'Project Birds',
  },
};
const production = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'samakia-prod',
    namespace: 'default',
    title: 'Samakia production',
  },
  spec: { type: 'environment' },
};

async function renderTemplate(
  onCreate: jest.Mock,
  initialState: Record<string, string> = {},
) {
  await renderInTestApp(
    <Stepper
      manifest={{
        title: template.metadata.title,
        steps: template.spec.parameters.map((step: any) => ({
          title: step.title,
          schema: step,
        })),
      }}
      extensions={extensions as any}
      initialState={{
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-prod',
        ...initialState,
      }}
      onCreate={onCreate}
    />,
    {
      apis: [
        [
          catalogApiRef,
          catalogApiMock({ entities: [titledBirds, production] }),
        ],
        [evidenceApiRef, evidenceApi()],
        [driftApiRef, driftApi()],
      ],
    },
  );
}

describe('the Tenant proposal template form', () => {
  it('pre-fills, shows the difference, blocks an unchanged request and hands the quotas to the task', async () => {
    const onCreate = jest.fn(async () => {});
    await renderTemplate(onCreate);

    const memory = await screen.findByRole(
      'spinbutton',
      { name: /^Memory \(GiB\)/ },
      patience,
    );
    await waitFor(() => expect(memory).toHaveValue(32), patience);

    // Unchanged: the validation hook keeps the user on the form with the domain's message.
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(
      () =>
        expect(
          screen.getAllByText(/change at least one quota/).length,
        ).toBeGreaterThan(1),
      patience,
    );
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();

    await userEvent.clear(memory);
    await userEvent.type(memory, '48');
    const difference = screen.getByRole('region', {
      name: 'Requested difference',
    });
    expect(within(difference).getByRole('table')).toHaveTextContent(
      'Memory (GiB)3248',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const create = await screen.findByRole(
      'button',
      { name: 'Create' },
      patience,
    );
    // The Review step lists the difference, current → requested, not the five quotas again.
    expect(
      within(screen.getByRole('table')).getByText('Requested difference'),
    ).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveTextContent(
      'Memory (GiB): 32 → 48',
    );
    expect(screen.queryByText(/CPU cores/)).not.toBeInTheDocument();
    // The tenant and the environment by title, never by ref.
    const review = screen.getByRole('table');
    expect(
      within(review).getByRole('row', { name: /^Tenant/ }),
    ).toHaveTextContent(/^TenantProject Birds$/);
    expect(
      within(review).getByRole('row', { name: /^Target environment/ }),
    ).toHaveTextContent(/^Target environmentSamakia production$/);
    expect(review).not.toHaveTextContent(/tenant:default|resource:default/);
    await userEvent.click(create);
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        tenant: 'tenant:default/project-birds',
        environment: 'resource:default/samakia-prod',
        changeType: 'capacity-change',
        quotas: {
          cpuCores: 8,
          memoryGiB: 48,
          storageGiB: 500,
          maxDatabases: 4,
          maxConnections: 200,
        },
      }),
    );
  });

  it('binding change: blocks a replace that changes nothing, then hands the new binding to the task', async () => {
    const onCreate = jest.fn(async () => {});
    await renderTemplate(onCreate, {
      environment: 'resource:default/samakia-dev',
      changeType: 'binding-change',
    });
    await choose(/^Action/, /Point a current binding at a new endpoint/);
    await choose(/^Current binding in/, /^api → postgres/);
    const endpoint = screen.getByRole('textbox', { name: 'Endpoint' });
    expect(endpoint).toHaveValue('postgres-birds-dev.infra.samakia.net:5432');

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByText(
        /^Endpoint: api → postgres in samakia-dev already points at/,
        undefined,
        patience,
      ),
    ).toBeInTheDocument();

    await userEvent.clear(endpoint);
    await userEvent.type(
      endpoint,
      'postgres-birds-dev2.infra.samakia.net:5432',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const create = await screen.findByRole(
      'button',
      { name: 'Create' },
      patience,
    );
    expect(screen.getByRole('table')).toHaveTextContent(
      'Requested differencebinding api → postgres in samakia-dev: postgres-birds-dev.infra.samakia.net:5432 (component:default/postgresql) → postgres-birds-dev2.infra.samakia.net:5432 (component:default/postgresql)',
    );
    await userEvent.click(create);
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        changeType: 'binding-change',
        binding: {
          action: 'replace',
          workload: 'api',
          consumer: 'postgres',
          endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
          service: 'component:default/postgresql',
        },
      }),
    );
  });
});
