import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EvidenceApi, evidenceApiRef } from '@internal/plugin-evidence';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Harness, HarnessProps } from '../__testUtils__/harness';
import { EvidencePacketsField } from './EvidencePacketsField';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const BIRDS = 'tenant:default/project-birds';
const ORCHARD = 'tenant:default/project-orchard';

function packet(over: Partial<EvidencePacket>): EvidencePacket {
  return {
    id: '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    source: 'root:samples',
    path: 'evidence/tenants/project-birds/2026-11-02T17:07:50Z',
    key: 'tenants/project-birds/2026-11-02T17:07:50Z',
    area: 'tenants',
    subject: 'project-birds',
    timestamp: '2026-11-02T17:07:50.000Z',
    tenant: BIRDS,
    entityRefs: [BIRDS],
    title: 'Birds capacity acceptance',
    result: 'PASS',
    verdict: 'verified',
    reasons: [],
    signatures: [],
    timestamps: [],
    signers: [],
    requiredSigners: 1,
    manifestFormat: 'sha256sum',
    manifestSha256: 'b'.repeat(64),
    fileCount: 1,
    totalBytes: 1,
    indexedAt: '2026-11-02T17:10:00.000Z',
    ...over,
  } as EvidencePacket;
}

const accepted = packet({});
const newerUnsigned = packet({
  id: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  title: 'Birds restore drill',
  area: 'drills',
  verdict: 'unsigned',
  timestamp: '2026-11-20T08:00:00.000Z',
});
const olderVerified = packet({
  id: '8f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  title: 'Birds plan',
  timestamp: '2026-10-01T08:00:00.000Z',
});
const orchardPacket = packet({
  id: '9f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  tenant: ORCHARD,
  title: 'Orchard acceptance',
});

/** The evidence API as the backend answers a tenant member: packets of the tenant asked for. */
function evidenceApi(
  listPackets?: EvidenceApi['listPackets'],
): jest.Mocked<EvidenceApi> {
  const all = [newerUnsigned, accepted, olderVerified, orchardPacket];
  return {
    listPackets: jest.fn(
      listPackets ??
        (async filter => {
          const items = all.filter(p => p.tenant === filter?.tenant);
          return { items, total: items.length };
        }),
    ),
  } as unknown as jest.Mocked<EvidenceApi>;
}

const form = { tenant: BIRDS, environment: 'resource:default/samakia-prod' };

async function render(api: EvidenceApi, props: Partial<HarnessProps> = {}) {
  const onValue = jest.fn();
  await renderInTestApp(
    <Harness
      field={EvidencePacketsField}
      name="packets"
      title="Evidence packets"
      siblings={form}
      onValue={onValue}
      {...props}
    />,
    { apis: [[evidenceApiRef, api]] },
  );
  return onValue;
}

const rowTexts = async () => {
  const table = await screen.findByRole(
    'table',
    { name: 'Evidence packets to cite' },
    patience,
  );
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);
};

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
