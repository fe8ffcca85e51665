import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { FABRIC_API_VERSION, FABRIC_KIND_TENANT } from './constants';
import { FABRIC_LABEL_TENANT } from './permissions';
import { tryCanonicalFabricRef } from './refs';

// THE tenancy rule of the portal, defined once. Every surface that decides who sees what of a
// tenant asks this module: the permission policy (catalog reads, and through them TechDocs pages,
// static assets and search results, which the backends check against catalog.entity.read), the
// catalog processor (which relations it publishes on shared entities, which label it adds), the
// templates (which label they write) and the notifiers.
//
// An entity belongs to a tenant when
//   1. it IS that Tenant, or
//   2. it carries the label fabric.samakia.io/tenant naming that tenant, or
//   3. it is owned (spec.owner / the ownedBy relation) by that tenant's owner group.
// A tenant member reads an entity only when every tenant it belongs to is one of their own; an
// entity of no tenant (planes, services, groups, users, operator runbooks) is shared.
//
// Relations alone (e.g. an operator runbook that is a dependencyOf several tenants) do not make
// an entity a tenant's: operators write shared runbooks for every tenant, and hiding those would
// take the platform's own documentation away from its tenants.

/** A tenant and the group that owns it, as the catalog's Tenant entities declare it. */
export interface TenantOwnership {
  /** Canonical, lower-case ref, e.g. `tenant:default/project-birds`. */
  tenantRef: string;
  /** Canonical, lower-case group ref, e.g. `group:default/team-birds`. */
  ownerRef: string;
}

/** The fields of a Tenant entity {@link tenantOwnershipFromEntities} needs (catalog `fields=`). */
export const TENANT_OWNERSHIP_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
];

const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

const lower = (value: string) => value.toLocaleLowerCase('en-US');
const nameOf = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** Catalog Tenant entities -> who owns which tenant. Anything that is not a valid Tenant is skipped. */
export function tenantOwnershipFromEntities(
  entities: readonly Entity[],
): TenantOwnership[] {
  const result: TenantOwnership[] = [];
  for (const entity of entities) {
    // Only our Tenant kind (checked here rather than in the catalog filter, which some catalog
    // clients match case-sensitively on camel-case keys).
    if (
      entity.apiVersion !== FABRIC_API_VERSION ||
      lower(entity.kind) !== lower(FABRIC_KIND_TENANT)
    ) {
      continue;
    }
    const owner = entity.spec?.owner;
    const ownerRef =
      typeof owner === 'string'
        ? tryCanonicalFabricRef(owner, 'group', entity)
        : undefined;
    // The catalog processor rejects tenants without a valid owner; skip any that slip through.
    if (ownerRef) {
      result.push({
        tenantRef: lower(stringifyEntityRef(entity)),
        ownerRef: lower(ownerRef),
      });
    }
  }
  return result;
}

/** Canonical refs of the tenants owned by any of `claims` (user and group refs), sorted. */
export function tenantRefsOwnedBy(
  claims: Iterable<string>,
  tenants: readonly TenantOwnership[],
): string[] {
  const wanted = new Set([...claims].map(lower));
  return [
    ...new Set(
      tenants.filter(t => wanted.has(t.ownerRef)).map(t => t.tenantRef),
    ),
  ].sort();
}

/** The tenants a label value names (label values are names); an unknown name still counts. */
function tenantRefsForLabel(
  value: string,
  tenants: readonly TenantOwnership[],
): string[] {
  const name = lower(value.trim());
  const matches = tenants
    .filter(t => nameOf(t.tenantRef) === name)
    .map(t => t.tenantRef);
  // A label naming no known tenant still marks the entity as a tenant's: it stays hidden from
  // every tenant member rather than becoming public by a typo.
  return matches.length ? matches : [`tenant:default/${name}`];
}

/** The entity's owners as lower-case canonical refs: its ownedBy relations and `spec.owner`. */
export function ownerRefsOf(entity: Entity): string[] {
  const refs = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => lower(r.targetRef));
  const owner = entity.spec?.owner;
  if (typeof owner === 'string') {
    const ref = tryCanonicalFabricRef(owner, 'group', entity);
    if (ref) refs.push(lower(ref));
  }
  return [...new Set(refs)];
}

/** The label value the rule reads, matched case-insensitively on the key like the catalog does. */
export function tenantLabelOf(entity: Entity): string | undefined {
  const labels = entity.metadata.labels ?? {};
  const key = Object.keys(labels).find(
    k => lower(k) === lower(FABRIC_LABEL_TENANT),
  );
  return key ? labels[key] : undefined;
}

/** Canonical refs of every tenant the entity belongs to (empty: a shared entity), sorted. */
export function tenantsOfEntity(
  entity: Entity,
  tenants: readonly TenantOwnership[],
): string[] {
  const result = new Set<string>();
  if (lower(entity.kind) === lower(FABRIC_KIND_TENANT)) {
    result.add(lower(stringifyEntityRef(entity)));
  }
  const label = tenantLabelOf(entity);
  if (label !== undefined) {
    for (const ref of tenantRefsForLabel(label, tenants)) result.add(ref);
  }
  const owners = new Set(ownerRefsOf(entity));
  for (const t of tenants) {
    if (owners.has(t.ownerRef)) result.add(t.tenantRef);
  }
  return [...result].sort();
}

/** What a tenant member's claims decide, computed once per request. */
interface Reader {
  claims: string[];
  myTenantNames: Set<string>;
  foreignOwners: string[];
}

function readerOf(
  claims: Iterable<string>,
  tenants: readonly TenantOwnership[],
): Reader {
  const claimList = [...new Set([...claims].map(lower))].sort();
  const claimSet = new Set(claimList);
  return {
    claims: claimList,
    myTenantNames: new Set(tenantRefsOwnedBy(claimSet, tenants).map(nameOf)),
    foreignOwners: [
      ...new Set(
        tenants.filter(t => !claimSet.has(t.ownerRef)).map(t => t.ownerRef),
      ),
    ].sort(),
  };
}

/**
 * Whether a tenant member with these ownership claims (their user ref and group refs) may read
 * the entity: it is not another tenant's Tenant, not labelled for a tenant of someone else, and
 * not owned by another tenant's owner group. (Equivalently: every tenant in
 * {@link tenantsOfEntity} is theirs.)
 */
export function tenantMemberMayRead(
  entity: Entity,
  claims: Iterable<string>,
  tenants: readonly TenantOwnership[],
): boolean {
  const reader = readerOf(claims, tenants);
  const owners = ownerRefsOf(entity);
  const isTenant = lower(entity.kind) === lower(FABRIC_KIND_TENANT);
  if (isTenant && !owners.some(o => reader.claims.includes(o))) return false;
  const label = tenantLabelOf(entity);
  if (label !== undefined && !reader.myTenantNames.has(lower(label.trim()))) {
    return false;
  }
  return !owners.some(o => reader.foreignOwners.includes(o));
}

type CatalogCondition = PermissionCondition<
  typeof RESOURCE_TYPE_CATALOG_ENTITY
>;

const condition = (
  rule: string,
  params: Record<string, unknown>,
): CatalogCondition =>
  ({
    rule,
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
    params,
  } as CatalogCondition);

function labelFor(
  names: Set<string>,
): [CatalogCondition, ...CatalogCondition[]] {
  const [first, ...rest] = [...names]
    .sort()
    .map(value =>
      condition('HAS_LABEL', { label: FABRIC_LABEL_TENANT, value }),
    );
  return [first, ...rest];
}

/**
 * {@link tenantMemberMayRead} as conditions of the catalog's own permission rules (IS_ENTITY_KIND,
 * HAS_LABEL, IS_ENTITY_OWNER), so the catalog applies the rule in its database query: lists,
 * facets and by-name reads alike. The policy test checks that both forms agree.
 */
export function tenantMemberCatalogReadCriteria(
  claims: Iterable<string>,
  tenants: readonly TenantOwnership[],
): PermissionCriteria<CatalogCondition> {
  const reader = readerOf(claims, tenants);
  const tenantKind = condition('IS_ENTITY_KIND', {
    kinds: [FABRIC_KIND_TENANT],
  });
  const anyLabel = condition('HAS_LABEL', { label: FABRIC_LABEL_TENANT });
  const foreign: [
    PermissionCriteria<CatalogCondition>,
    ...PermissionCriteria<CatalogCondition>[],
  ] = [
    // 1. a Tenant the caller's claims do not own
    reader.claims.length
      ? {
          allOf: [
            tenantKind,
            { not: condition('IS_ENTITY_OWNER', { claims: reader.claims }) },
          ],
        }
      : tenantKind,
    // 2. labelled for a tenant that is not one of the caller's
    reader.myTenantNames.size
      ? {
          allOf: [
            anyLabel,
            {
              not: {
                anyOf: labelFor(reader.myTenantNames),
              },
            },
          ],
        }
      : anyLabel,
  ];
  // 3. owned by another tenant's owner group, label or not
  if (reader.foreignOwners.length) {
    foreign.push(
      condition('IS_ENTITY_OWNER', { claims: reader.foreignOwners }),
    );
  }
  return { not: { anyOf: foreign } };
}

/**
 * Which recipients may be told about `subjects` (a notification names them): a tenant's team
 * only hears about its own tenant. A recipient whose claims (its ref, and for a user its groups)
 * own a tenant is kept only when every tenant of every subject is one of its own; a recipient
 * that owns no tenant (the platform's own groups and people) hears about any subject.
 */
export function recipientsAllowedFor(
  recipients: Array<{ ref: string; claims: Iterable<string> }>,
  subjects: readonly Entity[],
  tenants: readonly TenantOwnership[],
): string[] {
  const about = new Set(subjects.flatMap(s => tenantsOfEntity(s, tenants)));
  return recipients
    .filter(({ claims }) => {
      const own = new Set(tenantRefsOwnedBy(claims, tenants));
      return own.size === 0 || [...about].every(t => own.has(t));
    })
    .map(r => r.ref);
}
