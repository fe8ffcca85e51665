import { renderInTestApp } from '@backstage/frontend-test-utils';
import { DriftApi, driftApiRef } from '@internal/plugin-drift';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Harness, HarnessProps } from '../__testUtils__/harness';
import { DriftRunsField } from './DriftRunsField';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const BIRDS = 'tenant:default/project-birds';
const PROD = 'resource:default/samakia-prod';
const DEV = 'resource:default/samakia-dev';

const run = (over: Partial<DriftRunSummary>): DriftRunSummary => ({
  id: '11111111-1111-4111-8111-111111111111',
  source: 'ci/drift-nightly',
  environment: 'samakia-prod',
  tenant: BIRDS,
  entity: BIRDS,
  format: 'json',
  observedAt: '2026-11-20T10:00:00.000Z',
  receivedAt: '2026-11-20T10:00:01.000Z',
  verdict: 'FAIL',
  counts: { pass: 1, warn: 0, fail: 1 },
  providers: ['postgres'],
  submittedBy: 'fabric-ci',
  ...over,
});
const failing = run({});
const earlierPass = run({
  id: '22222222-2222-4222-8222-222222222222',
  observedAt: '2026-11-19T10:00:00.000Z',
  verdict: 'PASS',
  counts: { pass: 2, warn: 0, fail: 0 },
});
const devRun = run({
  id: '33333333-3333-4333-8333-333333333333',
  environment: 'samakia-dev',
  source: 'ci/drift-dev',
});

/** The drift API as the backend answers: runs of the tenant in the environment, oldest first. */
function driftApi(getHistory?: DriftApi['getHistory']): jest.Mocked<DriftApi> {
  return {
    getHistory: jest.fn(
      getHistory ??
        (async filter => ({
          audience: 'tenant' as const,
          items: [earlierPass, failing, devRun].filter(
            r =>
              `resource:default/${r.environment}` === filter.environment &&
              r.tenant === filter.tenant,
          ),
        })),
    ),
  } as unknown as jest.Mocked<DriftApi>;
}

const form = { tenant: BIRDS, environment: PROD };

async function render(api: DriftApi, props: Partial<HarnessProps> = {}) {
  const onValue = jest.fn();
  await renderInTestApp(
    <Harness
      field={DriftRunsField}
      name="driftRuns"
      title="Drift runs"
      siblings={form}
      onValue={onValue}
      {...props}
    />,
    { apis: [[driftApiRef, api]] },
  );
  return onValue;
}

const rowTexts = async () => {
  const table = await screen.findByRole(
    'table',
    { name: 'Drift runs to cite' },
    patience,
  );
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);
};

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
    expect(onValue).toHaveBeenLastCalledWith([failing.id]);
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
