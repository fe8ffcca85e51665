import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderField } from '../__testUtils__/harness';
import { TenantQuotasField } from './TenantQuotasField';

jest.setTimeout(30_000);

const prod = {
  tenant: 'tenant:default/project-birds',
  environment: 'resource:default/samakia-prod',
  changeType: 'capacity-change',
};

// Role queries over MUI tables are slow on a busy machine: allow more than the default second.
const patience = { timeout: 15_000 };
const input = (name: RegExp) =>
  screen.findByRole('spinbutton', { name }, patience);
/** Waits for the pre-fill, so typing is not overwritten by it. */
const prefilled = (cpuCores: number) =>
  waitFor(
    async () => expect(await input(/^CPU cores/)).toHaveValue(cpuCores),
    patience,
  );
const difference = () =>
  screen.getByRole('region', { name: 'Requested difference' });

describe('TenantQuotasField', () => {
  it("pre-fills the tenant's current quotas, one input per quota of the domain schema", async () => {
    const onValue = jest.fn();
    const { catalogApi } = await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: prod,
      onValue,
    });
    await prefilled(8);
    expect(await input(/^Memory \(GiB\)/)).toHaveValue(32);
    expect(await input(/^Storage \(GiB\)/)).toHaveValue(500);
    expect(await input(/^Databases/)).toHaveValue(4);
    expect(await input(/^Connections/)).toHaveValue(200);
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith({
      kind: 'tenant',
      namespace: 'default',
      name: 'project-birds',
    });
    expect(onValue).toHaveBeenLastCalledWith({
      cpuCores: 8,
      memoryGiB: 32,
      storageGiB: 500,
      maxDatabases: 4,
      maxConnections: 200,
    });
    // Nothing requested yet: the domain's "nothing changes" message, as a hint.
    expect(difference()).toHaveTextContent(
      'The requested quotas equal the current quotas of project-birds; change at least one quota',
    );
  });

  it('shows the requested difference, current → requested, per quota', async () => {
    const onValue = jest.fn();
    await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: prod,
      onValue,
    });
    await prefilled(8);
    const memory = await input(/^Memory \(GiB\)/);
    await userEvent.clear(memory);
    await userEvent.type(memory, '48');
    const connections = await input(/^Connections/);
    await userEvent.clear(connections);
    await userEvent.type(connections, '250');

    const table = within(difference()).getByRole('table', {
      name: 'Current and requested values',
    });
    const rows = within(table)
      .getAllByRole('row')
      .map(r => r.textContent);
    expect(rows).toEqual([
      'FieldCurrentRequested',
      'Memory (GiB)3248',
      'Connections200250',
    ]);
    expect(screen.getByText('32 → 48')).toBeInTheDocument();
    // The value is what fabric:tenant:diff takes: the full requested quota set.
    expect(onValue).toHaveBeenLastCalledWith({
      cpuCores: 8,
      memoryGiB: 48,
      storageGiB: 500,
      maxDatabases: 4,
      maxConnections: 250,
    });
  });

  it('says per quota what is wrong, with the messages of the domain schema', async () => {
    await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: prod,
    });
    await prefilled(8);
    const storage = await input(/^Storage \(GiB\)/);
    await userEvent.clear(storage);
    await userEvent.type(storage, '-1');
    const databases = await input(/^Databases/);
    await userEvent.clear(databases);
    await userEvent.type(databases, '2.5');

    expect(
      await screen.findByText(
        '-1 is negative; a quota is a non-negative number of GiB',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
    expect(storage).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.getByText(
        'expected a whole number, got 2.5; change it to a whole number',
      ),
    ).toBeInTheDocument();
    expect(difference()).toHaveTextContent(
      'Fill in the fields above to see the difference.',
    );
  });

  it('pre-fills again when the user picks another tenant, but keeps edits when the field comes back', async () => {
    const onValue = jest.fn();
    await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: prod,
      onValue,
      remountable: true,
      laterSiblings: { ...prod, tenant: 'tenant:default/project-orchard' },
    });
    await prefilled(8);
    const memory = await input(/^Memory \(GiB\)/);
    await userEvent.clear(memory);
    await userEvent.type(memory, '40');

    // Back from the review step: the field mounts again with the user's values.
    await userEvent.click(screen.getByRole('button', { name: 'remount' }));
    await userEvent.click(screen.getByRole('button', { name: 'remount' }));
    expect(await input(/^Memory \(GiB\)/)).toHaveValue(40);

    await userEvent.click(
      screen.getByRole('button', { name: 'change the other fields' }),
    );
    await waitFor(
      async () => expect(await input(/^Memory \(GiB\)/)).toHaveValue(16),
      patience,
    );
    expect(onValue).toHaveBeenLastCalledWith({
      cpuCores: 4,
      memoryGiB: 16,
      storageGiB: 200,
      maxDatabases: 2,
      maxConnections: 100,
    });
  });

  it('explains a tenant it cannot read', async () => {
    await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: { ...prod, tenant: 'tenant:default/project-nowhere' },
    });
    expect(
      await screen.findByText(
        'tenant:default/project-nowhere is not in the catalog, or is not one of your tenants; pick one of the tenants your group owns',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
  });

  it('reports a target environment the tenant does not run in', async () => {
    await renderField({
      field: TenantQuotasField,
      name: 'quotas',
      siblings: {
        ...prod,
        tenant: 'tenant:default/project-orchard',
        environment: 'resource:default/local-parity',
      },
    });
    await waitFor(
      async () => expect(await input(/^Memory \(GiB\)/)).toHaveValue(16),
      patience,
    );
    expect(difference()).toHaveTextContent(
      'project-orchard does not run in resource:default/local-parity',
    );
  });
});
