import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp, mockApis } from '@backstage/frontend-test-utils';
import {
  discoveryApiRef,
  fetchApiRef,
  type FetchApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ZakonRegistryPage } from './ZakonRegistryPage';

// Rendering a whole test app takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

const activeRule = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'ZakonRule',
  metadata: { name: 'blueprint-enforcement', title: 'Blueprint liveness' },
  spec: {
    id: 'blueprint-enforcement',
    owner: 'group:default/platform-operators',
    ruleFile: 'rules/zakon-blueprint-enforcement.md',
    trackingTask: 'MC-99911',
    approvalToken: '[CEO_APPROVED]',
    approvalDate: '2026-05-12',
    approvalMethod: 'board-deliberation',
    status: 'active',
    publishedSha256: 'a'.repeat(64),
    inScope: ['rules/zakon-*.md'],
    enforcement: ['registry-gate'],
  },
};

// One never-ingested rule, as the catalog's unprocessed-entities endpoint returns it.
const pending = {
  entities: [
    {
      entity_ref: null,
      unprocessed_entity: {
        apiVersion: 'fabric.samakia.io/v1alpha1',
        kind: 'ZakonRule',
        metadata: { name: 'unapproved-rule', title: 'Unapproved rule' },
        spec: { id: 'unapproved-rule', status: 'active' },
      },
      errors: [
        {
          name: 'InputError',
          message:
            'ZakonRule zakonrule:default/unapproved-rule is blocked by the ZAKON approval gate: spec.approvalToken is missing; record [CEO_APPROVED]',
        },
      ],
    },
  ],
};

function fetchReturning(status: number, body: unknown) {
  const fetch = jest.fn(async () => ({
    ok: status < 400,
    status,
    json: async () => body,
  }));
  // Only the parts of a Response the page reads.
  return { fetch } as unknown as FetchApi & { fetch: typeof fetch };
}

describe('ZakonRegistryPage', () => {
  it('lists ingested rules and flags rules blocked by the gate for operators', async () => {
    const fetchApi = fetchReturning(200, pending);
    await renderInTestApp(<ZakonRegistryPage />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [catalogApiRef, catalogApiMock({ entities: [activeRule] })],
        [discoveryApiRef, mockApis.discovery()],
        [fetchApiRef, fetchApi],
      ],
    });
    // The table re-renders once blocked rules arrive; assert on one stable snapshot.
    await waitFor(
      () => {
        expect(screen.getByText('Blueprint liveness')).toBeInTheDocument();
        expect(screen.getByText('BLOCKED (not ingested)')).toBeInTheDocument();
        expect(
          screen.getByText(
            /spec\.approvalToken is missing; record \[CEO_APPROVED\]/,
          ),
        ).toBeInTheDocument();
      },
      { timeout: 10_000 },
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      expect.stringMatching(/\/entities\/unprocessed\/pending$/),
    );
  });

  it('tells non-operators that blocked rules are hidden from them', async () => {
    await renderInTestApp(<ZakonRegistryPage />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [catalogApiRef, catalogApiMock({ entities: [activeRule] })],
        [discoveryApiRef, mockApis.discovery()],
        [fetchApiRef, fetchReturning(403, {})],
      ],
    });
    expect(
      await screen.findByText(
        /visible to operators only/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/BLOCKED/)).not.toBeInTheDocument();
    expect(
      await screen.findByText('Blueprint liveness', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });
});
