import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  tenantMemberCatalogReadCriteria,
  tenantMemberMayRead,
  tenantOwnershipFromEntities,
  tenantsOfEntity,
} from '@internal/plugin-fabric-common';
import { loadCatalogFile, ownershipOf } from '@internal/fabric-test-utils';

// The tenancy rule exists in two forms (fabric-common/tenancy.ts): a predicate for code that holds
// an entity, and conditions the catalog applies in its database. This checks that the
// conditions, evaluated by the catalog's OWN rule implementations, decide exactly like the
// predicate on every kind of entity a tenant could own or see, for every kind of reader.

const tenants = tenantOwnershipFromEntities(loadCatalogFile('tenants.yaml'));

const authorize = createConditionAuthorizer(Object.values(permissionRules));

function owned(
  kind: string,
  name: string,
  owner: string | undefined,
  labels?: Record<string, string>,
): Entity {
  return {
    apiVersion:
      kind === 'Tenant'
        ? 'fabric.samakia.io/v1alpha1'
        : 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: owner ? { owner } : {},
    relations: owner
      ? [{ type: 'ownedBy', targetRef: owner.toLocaleLowerCase('en-US') }]
      : [],
  };
}

const LABEL = 'fabric.samakia.io/tenant';
const entities: Record<string, Entity> = {
  'tenant birds': owned('Tenant', 'project-birds', 'group:default/team-birds'),
  'tenant orchard': owned(
    'Tenant',
    'project-orchard',
    'group:default/team-orchard',
  ),
  'plane (operators)': owned(
    'Plane',
    'dns',
    'group:default/platform-operators',
  ),
  'group team-orchard (no owner)': owned('Group', 'team-orchard', undefined),
  'runbook generated for orchard, no label (the issue)': owned(
    'Resource',
    'project-orchard-docs',
    'group:default/team-orchard',
  ),
  'runbook of orchard, labelled': owned(
    'Resource',
    'orchard-labelled',
    'group:default/team-orchard',
    { [LABEL]: 'project-orchard' },
  ),
  'operator-owned, labelled orchard': owned(
    'Resource',
    'ops-for-orchard',
    'group:default/platform-operators',
    { [LABEL]: 'project-orchard' },
  ),
  'operator-owned, labelled birds': owned(
    'Resource',
    'ops-for-birds',
    'group:default/platform-operators',
    { [LABEL]: 'project-birds' },
  ),
  'birds-owned but labelled orchard': owned(
    'Component',
    'mixed',
    'group:default/team-birds',
    { [LABEL]: 'project-orchard' },
  ),
  'labelled for a tenant that does not exist': owned(
    'Resource',
    'typo',
    'group:default/platform-operators',
    { [LABEL]: 'project-nobody' },
  ),
  'owned by bea herself': owned('Component', 'beas', 'user:default/bea.birds'),
  'Tenant of an unknown owner': owned(
    'Tenant',
    'project-stray',
    'group:default/nobody',
  ),
};

const readers: Record<string, string[]> = {
  'bea (team-birds)': ownershipOf('bea.birds'),
  'otto (team-orchard)': ownershipOf('otto.orchard'),
  'pat (team-birds and team-harbor)': [
    'user:default/pat',
    'group:default/team-birds',
    'group:default/team-harbor',
  ],
  'newcomer (no group)': ['user:default/newcomer'],
};

describe('the tenancy rule', () => {
  it('says which tenants an entity belongs to', () => {
    expect(
      tenantsOfEntity(
        entities['runbook generated for orchard, no label (the issue)'],
        tenants,
      ),
    ).toEqual(['tenant:default/project-orchard']);
    expect(
      tenantsOfEntity(entities['birds-owned but labelled orchard'], tenants),
    ).toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-orchard',
    ]);
    expect(tenantsOfEntity(entities['plane (operators)'], tenants)).toEqual([]);
    expect(
      tenantsOfEntity(
        entities['labelled for a tenant that does not exist'],
        tenants,
      ),
    ).toEqual(['tenant:default/project-nobody']);
  });

  it('hides everything of orchard from bea, label or not, and shows her own and shared entities', () => {
    const bea = readers['bea (team-birds)'];
    const visible = Object.entries(entities)
      .filter(([, e]) => tenantMemberMayRead(e, bea, tenants))
      .map(([what]) => what);
    expect(visible.sort()).toEqual(
      [
        'tenant birds',
        'plane (operators)',
        'group team-orchard (no owner)',
        'operator-owned, labelled birds',
        'owned by bea herself',
      ].sort(),
    );
  });

  describe.each(Object.entries(readers))('for %s', (_reader, claims) => {
    const decision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: tenantMemberCatalogReadCriteria(claims, tenants),
    } as PolicyDecision;

    it.each(Object.entries(entities))(
      'the catalog conditions decide like the predicate: %s',
      (_what, entity) => {
        const predicate = tenantMemberMayRead(entity, claims, tenants);
        expect(authorize(decision, entity)).toBe(predicate);
        // Every tenant the entity belongs to is one of the reader's, or the reader may not read it.
        const mine = tenants
          .filter(t => claims.includes(t.ownerRef))
          .map(t => t.tenantRef);
        // (A Tenant counts as the reader's by its owner even before the directory lists it.)
        const of = tenantsOfEntity(entity, tenants);
        const everyTenantMine = of.every(t => mine.includes(t));
        expect(predicate).toBe(
          entity.kind === 'Tenant' ? predicate : everyTenantMine,
        );
      },
    );
  });
});
