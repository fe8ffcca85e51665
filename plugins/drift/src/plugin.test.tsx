import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { fakeDriftApi } from './__testUtils__/fakeDriftApi';
import { driftApiRef } from './api/DriftApi';
import { driftPlugin } from './plugin';

jest.setTimeout(30_000);

describe('driftPlugin', () => {
  it('mounts the Drift overview at /drift with a title and icon for the sidebar', () => {
    const tester = createExtensionTester(
      driftPlugin.getExtension('page:drift'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/drift');
    expect(tester.get(coreExtensionData.title)).toBe('Drift');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('adds the Drift tab to tenants, planes and services only', () => {
    const tester = createExtensionTester(
      driftPlugin.getExtension('entity-content:drift/drift'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Drift');
    expect(tester.get(coreExtensionData.routePath)).toBe('drift');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const entity = (kind: string, type?: string) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name: 'x' },
      spec: type ? { type } : {},
    });
    expect(filter(entity('Tenant'))).toBe(true);
    expect(filter(entity('Plane'))).toBe(true);
    expect(filter(entity('Component', 'service'))).toBe(true);
    expect(filter(entity('Component', 'website'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
  });

  it('provides the drift API', () => {
    const tester = createExtensionTester(driftPlugin.getExtension('api:drift'));
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      driftApiRef.id,
    );
  });

  it('serves the overview in an app, with a sidebar entry', async () => {
    const api = fakeDriftApi();
    renderTestApp({
      features: [driftPlugin],
      initialRouteEntries: ['/drift'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[driftApiRef, api]],
    });
    expect(
      await screen.findByRole(
        'table',
        { name: 'Drift heat map' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Drift', current: 'page' }),
    ).toHaveAttribute('href', '/drift');
  });
});
