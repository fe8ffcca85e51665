import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderField } from '../__testUtils__/harness';
import { TenantBindingField } from './TenantBindingField';

jest.setTimeout(30_000);

const dev = {
  tenant: 'tenant:default/project-birds',
  environment: 'resource:default/samakia-dev',
  changeType: 'binding-change',
};

// Role queries over MUI forms are slow on a busy machine: allow more than the default second.
const patience = { timeout: 15_000 };
const difference = () =>
  screen.getByRole('region', { name: 'Requested difference' });

/** Opens an MUI select by its label and picks an option. */
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

describe('TenantBindingField', () => {
  it('replace lists the current bindings of the environment and pre-fills the chosen one', async () => {
    const onValue = jest.fn();
    await renderField({
      field: TenantBindingField,
      name: 'binding',
      siblings: dev,
      onValue,
    });
    await choose(/^Action/, /Point a current binding at a new endpoint/);
    await userEvent.click(
      await screen.findByRole(
        'combobox',
        { name: /^Current binding in/ },
        patience,
      ),
    );
    const options = within(
      await screen.findByRole('listbox', undefined, patience),
    )
      .getAllByRole('option')
      .map(o => o.textContent);
    // Only samakia-dev's bindings, as the tenant's entity has them.
    expect(options).toEqual([
      'api → postgres: postgres-birds-dev.infra.samakia.net:5432 (component:default/postgresql)',
      'notifier → rabbitmq: rabbitmq-birds-dev.infra.samakia.net:5671',
    ]);
    await userEvent.click(
      screen.getByRole('option', { name: /^api → postgres/ }),
    );

    const endpoint = screen.getByRole('textbox', { name: 'Endpoint' });
    expect(endpoint).toHaveValue('postgres-birds-dev.infra.samakia.net:5432');
    expect(
      await screen.findByText(
        'api → postgres in samakia-dev already points at postgres-birds-dev.infra.samakia.net:5432; give a new endpoint or service',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();

    await userEvent.clear(endpoint);
    await userEvent.type(
      endpoint,
      'postgres-birds-dev2.infra.samakia.net:5432',
    );
    const rows = within(difference())
      .getAllByRole('row')
      .map(r => Array.from(r.querySelectorAll('th, td'), c => c.textContent));
    expect(rows).toEqual([
      ['Field', 'Current', 'Requested'],
      [
        'binding api → postgres in samakia-dev',
        'postgres-birds-dev.infra.samakia.net:5432 (component:default/postgresql)',
        'postgres-birds-dev2.infra.samakia.net:5432 (component:default/postgresql)',
      ],
    ]);
    expect(onValue).toHaveBeenLastCalledWith({
      action: 'replace',
      workload: 'api',
      consumer: 'postgres',
      endpoint: 'postgres-birds-dev2.infra.samakia.net:5432',
      service: 'component:default/postgresql',
    });
  });

  it("add offers the tenant's enabled consumers and refuses a binding that exists", async () => {
    await renderField({
      field: TenantBindingField,
      name: 'binding',
      siblings: dev,
    });
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Workload' }, patience),
      'api',
    );
    await userEvent.click(screen.getByRole('combobox', { name: /^Consumer/ }));
    expect(
      within(await screen.findByRole('listbox', undefined, patience))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['postgres (cluster)', 'rabbitmq (single)']);
    await userEvent.click(
      screen.getByRole('option', { name: 'postgres (cluster)' }),
    );
    expect(
      await screen.findByText(
        'api → postgres in samakia-dev is already bound to postgres-birds-dev.infra.samakia.net:5432; choose replace to change it',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
  });

  it('says what is wrong with a typed endpoint, and shows the binding to add', async () => {
    await renderField({
      field: TenantBindingField,
      name: 'binding',
      siblings: dev,
    });
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Workload' }, patience),
      'worker',
    );
    await userEvent.click(screen.getByRole('combobox', { name: /^Consumer/ }));
    await userEvent.click(
      within(await screen.findByRole('listbox', undefined, patience)).getByRole(
        'option',
        {
          name: 'rabbitmq (single)',
        },
      ),
    );
    const endpoint = screen.getByRole('textbox', { name: 'Endpoint' });
    await userEvent.type(endpoint, 'no-port');
    expect(
      await screen.findByText(
        '"no-port" is not an endpoint; write host:port with a port from 1 to 65535, e.g. postgres-birds.infra.samakia.net:5432',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
    await userEvent.clear(endpoint);
    await userEvent.type(endpoint, 'rabbitmq-birds-dev.infra.samakia.net:5671');
    await waitFor(
      () =>
        expect(difference()).toHaveTextContent(
          'binding worker → rabbitmq in samakia-dev—rabbitmq-birds-dev.infra.samakia.net:5671',
        ),
      patience,
    );
  });
});
