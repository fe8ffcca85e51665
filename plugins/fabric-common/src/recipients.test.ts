import { Entity } from '@backstage/catalog-model';
import { recipientsAllowedFor } from './tenancy';

const tenants = [
  {
    tenantRef: 'tenant:default/project-birds',
    ownerRef: 'group:default/team-birds',
  },
  {
    tenantRef: 'tenant:default/project-orchard',
    ownerRef: 'group:default/team-orchard',
  },
];
const entity = (owner: string, labels?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', namespace: 'default', labels },
  spec: { owner },
});
const group = (ref: string) => ({ ref, claims: [ref] });

describe('recipientsAllowedFor', () => {
  const candidates = [
    group('group:default/team-birds'),
    group('group:default/team-orchard'),
    group('group:default/platform-operators'),
    // otto is a user of team-orchard: his groups count
    {
      ref: 'user:default/otto.orchard',
      claims: ['user:default/otto.orchard', 'group:default/team-orchard'],
    },
  ];

  it("keeps a tenant's team to its own tenant, and the platform's groups to everything", () => {
    // orchard's entity (by owner, no label)
    expect(
      recipientsAllowedFor(
        candidates,
        [entity('group:default/team-orchard')],
        tenants,
      ),
    ).toEqual([
      'group:default/team-orchard',
      'group:default/platform-operators',
      'user:default/otto.orchard',
    ]);
    // a shared entity paired with birds (by label here)
    expect(
      recipientsAllowedFor(
        candidates,
        [
          entity('group:default/platform-operators', {
            'fabric.samakia.io/tenant': 'project-birds',
          }),
        ],
        tenants,
      ),
    ).toEqual(['group:default/team-birds', 'group:default/platform-operators']);
    // a shared entity about no tenant: everybody
    expect(
      recipientsAllowedFor(
        candidates,
        [entity('group:default/platform-operators')],
        tenants,
      ),
    ).toHaveLength(4);
  });
});
