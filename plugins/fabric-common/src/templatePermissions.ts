import { Entity } from '@backstage/catalog-model';
import {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';

// Who may complete a template, defined once: the template names the permission its side
// effects need (and, for a tenant-scoped permission, the tenant it is used on when the form
// does not choose one). The permission policy shows a template to a tenant member only when
// that permission is one they hold; the template's first step (fabric:permission:check) asks the
// permission framework again, as the user, before anything is written.

/** The permission a template's side effects need, e.g. `catalog.location.create`. */
export const FABRIC_ANNOTATION_REQUIRED_PERMISSION =
  'fabric.samakia.io/required-permission';

/** For a tenant-scoped permission: the tenant it is used on, e.g. `tenant:default/platform`. */
export const FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT =
  'fabric.samakia.io/required-permission-tenant';

const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';
type CatalogCondition = PermissionCondition<
  typeof RESOURCE_TYPE_CATALOG_ENTITY
>;
type Criteria = PermissionCriteria<CatalogCondition>;

const condition = (
  rule: string,
  params: Record<string, unknown>,
): CatalogCondition =>
  ({
    rule,
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
    params,
  } as CatalogCondition);

const lower = (value: string) => value.toLocaleLowerCase('en-US');

function annotationIsOneOf(annotation: string, values: string[]): Criteria {
  const [first, ...rest] = [...new Set(values)]
    .sort()
    .map(value => condition('HAS_ANNOTATION', { annotation, value }));
  return rest.length ? { anyOf: [first, ...rest] } : first;
}

/**
 * Which templates a tenant member reads, as conditions of the catalog's own rules
 * (IS_ENTITY_KIND, HAS_ANNOTATION): every entity that is not a Template, and the templates whose
 * required permission is one of `permissions` (the tenant-scoped permissions the member holds on
 * their own tenants) used on no fixed tenant or on one of `tenantRefs`. A template that names no
 * permission is hidden (fail closed), and so is every template from a member of no tenant: what
 * a tenant member may do is done on one of their tenants.
 */
export function tenantMemberTemplateReadCriteria(
  permissions: readonly string[],
  tenantRefs: readonly string[],
): Criteria {
  const notTemplate: Criteria = {
    not: condition('IS_ENTITY_KIND', { kinds: ['Template'] }),
  };
  if (!permissions.length || !tenantRefs.length) return notTemplate;
  const noFixedTenant: Criteria = {
    not: condition('HAS_ANNOTATION', {
      annotation: FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT,
    }),
  };
  const tenant: Criteria = {
    anyOf: [
      noFixedTenant,
      annotationIsOneOf(
        FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT,
        tenantRefs.map(lower),
      ),
    ],
  };
  return {
    anyOf: [
      notTemplate,
      {
        allOf: [
          annotationIsOneOf(FABRIC_ANNOTATION_REQUIRED_PERMISSION, [
            ...permissions,
          ]),
          tenant,
        ],
      },
    ],
  };
}

/** {@link tenantMemberTemplateReadCriteria} for one entity (the policy test checks both agree). */
export function tenantMemberMayReadTemplate(
  entity: Entity,
  permissions: readonly string[],
  tenantRefs: readonly string[],
): boolean {
  if (lower(entity.kind) !== 'template') return true;
  if (!tenantRefs.length) return false;
  const annotations = entity.metadata.annotations ?? {};
  const permission = annotations[FABRIC_ANNOTATION_REQUIRED_PERMISSION];
  if (!permission || !permissions.includes(permission)) return false;
  const tenant = annotations[FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT];
  return tenant === undefined || tenantRefs.map(lower).includes(tenant);
}
