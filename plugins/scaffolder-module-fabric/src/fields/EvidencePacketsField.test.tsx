import { evidenceApiRef } from '@internal/plugin-evidence';
import type { EvidenceApi } from '@internal/plugin-evidence';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  BIRDS,
  ORCHARD,
  citationRows,
  evidenceApi,
  packets,
  renderCitationField,
} from '../__testUtils__/citations';
import { HarnessProps } from '../__testUtils__/harness';
import { EvidencePacketsField } from './EvidencePacketsField';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const { accepted, olderVerified, orchard: orchardPacket } = packets;
const form = { tenant: BIRDS, environment: 'resource:default/samakia-prod' };

const render = (api: EvidenceApi, props: Partial<HarnessProps> = {}) =>
  renderCitationField(
    {
      field: EvidencePacketsField,
      name: 'packets',
      title: 'Evidence packets',
      siblings: form,
      ...props,
    },
    { apis: [[evidenceApiRef, api]] },
  );

const rowTexts = () => citationRows('Evidence packets to cite');

describe('EvidencePacketsField', () => {
  it("lists the tenant's packets, verified first then newest, with area, verdict and date", async () => {
    const api = evidenceApi();
    await render(api);
    expect(await rowTexts()).toEqual([
      'Birds capacity acceptancetenantsverified2026-11-02 17:07 UTC',
      'Birds plantenantsverified2026-10-01 08:00 UTC',
      'Birds restore drilldrillsunsigned2026-11-20 08:00 UTC',
    ]);
    expect(api.listPackets).toHaveBeenCalledWith({ tenant: BIRDS, limit: 200 });
    expect(screen.queryByText('Orchard acceptance')).not.toBeInTheDocument();
  });

  it('cites several packets, each with a kind', async () => {
    const onValue = await render(evidenceApi());
    await userEvent.click(
      await screen.findByRole(
        'checkbox',
        { name: 'Cite Birds capacity acceptance' },
        patience,
      ),
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', {
        name: 'Kind of Birds capacity acceptance',
      }),
      'Verification',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Cite Birds plan' }),
    );
    expect(onValue).toHaveBeenLastCalledWith([
      { packetId: accepted.id, kind: 'verification' },
      { packetId: olderVerified.id, kind: 'other' },
    ]);
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Cite Birds capacity acceptance' }),
    );
    expect(onValue).toHaveBeenLastCalledWith([
      { packetId: olderVerified.id, kind: 'other' },
    ]);
  });

  it('clears the picks when the user switches to another tenant', async () => {
    const api = evidenceApi();
    const onValue = await render(api, {
      laterSiblings: { ...form, tenant: ORCHARD },
    });
    await userEvent.click(
      await screen.findByRole(
        'checkbox',
        { name: 'Cite Birds plan' },
        patience,
      ),
    );
    expect(onValue).toHaveBeenLastCalledWith([
      { packetId: olderVerified.id, kind: 'other' },
    ]);
    await userEvent.click(
      screen.getByRole('button', { name: 'change the other fields' }),
    );
    await waitFor(() => expect(onValue).toHaveBeenLastCalledWith([]), patience);
    expect(await rowTexts()).toEqual([
      'Orchard acceptancetenantsverified2026-11-02 17:07 UTC',
    ]);
    expect(api.listPackets).toHaveBeenLastCalledWith({
      tenant: ORCHARD,
      limit: 200,
    });
  });

  it('keeps the picks when the field comes back from the review, and drops a pick the list does not offer', async () => {
    const onValue = await render(evidenceApi(), {
      initial: [
        { packetId: olderVerified.id, kind: 'plan' },
        { packetId: orchardPacket.id, kind: 'other' },
      ],
    });
    await waitFor(
      () =>
        expect(onValue).toHaveBeenLastCalledWith([
          { packetId: olderVerified.id, kind: 'plan' },
        ]),
      patience,
    );
    expect(
      screen.getByRole('checkbox', { name: 'Cite Birds plan' }),
    ).toBeChecked();
  });

  it('says so when the tenant has no packets the user may read', async () => {
    await render(evidenceApi(async () => ({ items: [], total: 0 })));
    expect(
      await screen.findByText(
        'project-birds has no evidence packets you may read. You can submit without citing one.',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
  });

  it('explains a failing evidence API and lets the user go on', async () => {
    const onValue = await render(
      evidenceApi(async () => {
        throw new Error('Service Unavailable');
      }),
    );
    expect(
      await screen.findByText(
        'The evidence packets of project-birds could not be read (Service Unavailable). You can submit without citing any, or try again later.',
        undefined,
        patience,
      ),
    ).toBeInTheDocument();
    expect(onValue).not.toHaveBeenCalled();
  });

  it('asks for the tenant first and reads nothing without one', async () => {
    const api = evidenceApi();
    await render(api, { siblings: {} });
    expect(
      await screen.findByText(
        'Pick the tenant first; its evidence packets appear here.',
      ),
    ).toBeInTheDocument();
    expect(api.listPackets).not.toHaveBeenCalled();
  });
});
