import { driftApiRef } from '@internal/plugin-drift';
import type { DriftApi } from '@internal/plugin-drift';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  BIRDS,
  DEV,
  PROD,
  citationRows,
  driftApi,
  renderCitationField,
  runs,
} from '../__testUtils__/citations';
import { HarnessProps } from '../__testUtils__/harness';
import { DriftRunsField } from './DriftRunsField';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const form = { tenant: BIRDS, environment: PROD };

const render = (api: DriftApi, props: Partial<HarnessProps> = {}) =>
  renderCitationField(
    {
      field: DriftRunsField,
      name: 'driftRuns',
      title: 'Drift runs',
      siblings: form,
      ...props,
    },
    { apis: [[driftApiRef, api]] },
  );

const rowTexts = () => citationRows('Drift runs to cite');

describe('DriftRunsField', () => {
  it('lists the runs of the tenant in the target environment, newest first, and cites the ticked ones', async () => {
    const api = driftApi();
    const onValue = await render(api);
    expect(await rowTexts()).toEqual([
      '2026-11-20 10:00 UTCci/drift-nightlyFAIL1 / 0 / 1',
      '2026-11-19 10:00 UTCci/drift-nightlyPASS2 / 0 / 0',
    ]);
    expect(api.getHistory).toHaveBeenCalledWith({
      tenant: BIRDS,
      environment: PROD,
      limit: 20,
    });
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Cite drift run ci/drift-nightly at 2026-11-20 10:00 UTC',
      }),
    );
    expect(onValue).toHaveBeenLastCalledWith([runs.failing.id]);
  });

  it('clears the picks when the user switches to another environment', async () => {
    const onValue = await render(driftApi(), {
      laterSiblings: { ...form, environment: DEV },
    });
    await userEvent.click(
      await screen.findByRole(
        'checkbox',
        { name: 'Cite drift run ci/drift-nightly at 2026-11-20 10:00 UTC' },
        patience,
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'change the other fields' }),
    );
    await waitFor(() => expect(onValue).toHaveBeenLastCalledWith([]), patience);
    await waitFor(
      async () =>
        expect(await rowTexts()).toEqual([
          '2026-11-20 10:00 UTCci/drift-devFAIL1 / 0 / 1',
        ]),
      patience,
    );
  });

  it('says so when there is no run', async () => {
    await render(driftApi(async () => ({ audience: 'tenant', items: [] })));
    expect(
      await screen.findByText(
        'No drift run of project-birds in samakia-prod in the last 30 days that you may read. You can submit without citing one.',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
  });

  it('explains a failing drift API', async () => {
    await render(
      driftApi(async () => {
        throw new Error('Service Unavailable');
      }),
    );
    expect(
      await screen.findByText(
        'The drift runs of project-birds in samakia-prod could not be read (Service Unavailable). You can submit without citing any, or try again later.',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
  });

  it('waits for the environment before reading anything', async () => {
    const api = driftApi();
    await render(api, { siblings: { tenant: BIRDS } });
    expect(
      await screen.findByText(
        'Pick the tenant and the target environment first; their drift runs appear here.',
      ),
    ).toBeInTheDocument();
    expect(api.getHistory).not.toHaveBeenCalled();
  });
});
