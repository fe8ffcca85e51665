import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { DriftApi } from '@internal/plugin-drift';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import type { EvidenceApi } from '@internal/plugin-evidence';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import { screen, within } from '@testing-library/react';
import { Harness, HarnessProps } from './harness';

// What the citation fields and the Review value read: the birds' packets and drift runs, and
// the evidence and drift APIs answering as the backend does for a tenant member.

export const BIRDS = 'tenant:default/project-birds';
export const ORCHARD = 'tenant:default/project-orchard';
export const PROD = 'resource:default/samakia-prod';
export const DEV = 'resource:default/samakia-dev';

export function packet(over: Partial<EvidencePacket>): EvidencePacket {
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

export const packets = {
  accepted: packet({}),
  newerUnsigned: packet({
    id: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    title: 'Birds restore drill',
    area: 'drills',
    verdict: 'unsigned',
    timestamp: '2026-11-20T08:00:00.000Z',
  }),
  olderVerified: packet({
    id: '8f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    title: 'Birds plan',
    timestamp: '2026-10-01T08:00:00.000Z',
  }),
  orchard: packet({
    id: '9f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    tenant: ORCHARD,
    title: 'Orchard acceptance',
  }),
};

/** The evidence API as the backend answers a tenant member: packets of the tenant asked for. */
export function evidenceApi(
  listPackets?: EvidenceApi['listPackets'],
): jest.Mocked<EvidenceApi> {
  const all = [
    packets.newerUnsigned,
    packets.accepted,
    packets.olderVerified,
    packets.orchard,
  ];
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

export function run(over: Partial<DriftRunSummary>): DriftRunSummary {
  return {
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
  };
}

export const runs = {
  failing: run({}),
  earlierPass: run({
    id: '22222222-2222-4222-8222-222222222222',
    observedAt: '2026-11-19T10:00:00.000Z',
    verdict: 'PASS',
    counts: { pass: 2, warn: 0, fail: 0 },
  }),
  dev: run({
    id: '33333333-3333-4333-8333-333333333333',
    environment: 'samakia-dev',
    source: 'ci/drift-dev',
  }),
};

/** The drift API as the backend answers: runs of the tenant in the environment, oldest first. */
export function driftApi(
  getHistory?: DriftApi['getHistory'],
): jest.Mocked<DriftApi> {
  return {
    getHistory: jest.fn(
      getHistory ??
        (async filter => ({
          audience: 'tenant' as const,
          items: [runs.earlierPass, runs.failing, runs.dev].filter(
            r =>
              `resource:default/${r.environment}` === filter.environment &&
              r.tenant === filter.tenant,
          ),
        })),
    ),
  } as unknown as jest.Mocked<DriftApi>;
}

/** Renders a citation field in the harness with the APIs it reads; returns its values. */
export async function renderCitationField(
  props: HarnessProps,
  options: Parameters<typeof renderInTestApp>[1],
) {
  const onValue = jest.fn();
  await renderInTestApp(<Harness onValue={onValue} {...props} />, options);
  return onValue;
}

/** The text of each body row of the named table, once it is there. */
export async function citationRows(table: string) {
  const found = await screen.findByRole(
    'table',
    { name: table },
    { timeout: 15_000 },
  );
  return within(found)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);
}
