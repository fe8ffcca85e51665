import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import {
  fakeApprovalsApi,
  makeProposal,
} from './__testUtils__/fakeApprovalsApi';
import { signingKeysApiRef } from '@internal/plugin-fabric-react';
import { approvalsApiRef } from './api/ApprovalsApi';
import { approvalsPlugin } from './plugin';

// Rendering a whole test app takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

describe('approvalsPlugin', () => {
  it('mounts the Approvals page at /approvals with a title and icon for the sidebar', () => {
    const tester = createExtensionTester(
      approvalsPlugin.getExtension('page:approvals'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/approvals');
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('adds the Proposals tab to tenants only', () => {
    const tester = createExtensionTester(
      approvalsPlugin.getExtension('entity-content:approvals/tenant-proposals'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Proposals');
    expect(tester.get(coreExtensionData.routePath)).toBe('proposals');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter).toBeInstanceOf(Function);
    const entity = (kind: string) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name: 'x' },
    });
    expect(filter?.(entity('Tenant'))).toBe(true);
    expect(filter?.(entity('Component'))).toBe(false);
  });

  it('provides the approvals API', () => {
    const tester = createExtensionTester(
      approvalsPlugin.getExtension('api:approvals'),
    );
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      approvalsApiRef.id,
    );
  });

  it('provides the signing-key registry client for the Signing key panel', () => {
    const tester = createExtensionTester(
      approvalsPlugin.getExtension('api:approvals/signing-keys'),
    );
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      signingKeysApiRef.id,
    );
  });

  it('serves the proposal view below /approvals in an app, with a sidebar entry', async () => {
    const api = fakeApprovalsApi();
    renderTestApp({
      features: [approvalsPlugin],
      initialRouteEntries: [`/approvals/proposals/${makeProposal().id}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [approvalsApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    });
    expect(
      await screen.findByTestId('proposal-digest', {}, { timeout: 15_000 }),
    ).toHaveTextContent(makeProposal().digest);
    expect(api.getProposal).toHaveBeenCalledWith(makeProposal().id);
    // The sidebar entry (marked as the current page) comes from the page's title and icon.
    expect(
      screen.getByRole('link', { name: 'Approvals', current: 'page' }),
    ).toHaveAttribute('href', '/approvals');
  });
});
