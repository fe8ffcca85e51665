import { Entity } from '@backstage/catalog-model';
import {
  FABRIC_ANNOTATION_PLANE,
  FABRIC_API_VERSION,
  FABRIC_COMPONENT_TYPE_SERVICE,
  FABRIC_COMPONENT_TYPE_WEBSITE,
  FABRIC_KIND_PLANE,
  FABRIC_KIND_TENANT,
  FABRIC_KIND_ZAKON_RULE,
  ENVIRONMENT_RESOURCE_TYPE,
} from './constants';
import { FabricParseResult, parseWithProblems } from './problems';
import {
  FabricServiceEntity,
  FabricWebsiteEntity,
  fabricServiceComponentSchema,
  fabricWebsiteComponentSchema,
} from './schemas/component';
import {
  EnvironmentEntity,
  environmentEntitySchema,
} from './schemas/environment';
import { PlaneEntity, planeEntitySchema } from './schemas/plane';
import { TenantEntity, tenantEntitySchema } from './schemas/tenant';
import { ZakonRuleEntity, zakonRuleEntitySchema } from './schemas/zakonRule';

/** Any entity whose Fabric part this package validates. */
export type FabricEntity =
  | PlaneEntity
  | TenantEntity
  | ZakonRuleEntity
  | FabricServiceEntity
  | FabricWebsiteEntity
  | EnvironmentEntity;

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `kind kind:namespace/name` of possibly malformed input, used to head error
 * messages so they name the entity.
 */
export function describeEntity(input: unknown): string {
  const entity = isRecord(input) ? input : {};
  const kind = typeof entity.kind === 'string' ? entity.kind : 'Entity';
  const metadata = isRecord(entity.metadata) ? entity.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '<no name>';
  const namespace =
    typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  return `${kind} ${kind.toLocaleLowerCase('en-US')}:${namespace}/${name}`;
}

/** True for `kind: Plane` in the Fabric API group (shape not checked). */
export function isPlaneEntity(entity: Entity): entity is PlaneEntity {
  return (
    entity.apiVersion === FABRIC_API_VERSION &&
    entity.kind === FABRIC_KIND_PLANE
  );
}

/** True for `kind: Tenant` in the Fabric API group (shape not checked). */
export function isTenantEntity(entity: Entity): entity is TenantEntity {
  return (
    entity.apiVersion === FABRIC_API_VERSION &&
    entity.kind === FABRIC_KIND_TENANT
  );
}

/** True for `kind: ZakonRule` in the Fabric API group (shape not checked). */
export function isZakonRuleEntity(entity: Entity): entity is ZakonRuleEntity {
  return (
    entity.apiVersion === FABRIC_API_VERSION &&
    entity.kind === FABRIC_KIND_ZAKON_RULE
  );
}

/**
 * True for a Component of type service that takes part in the fabric: it has
 * a `spec.fabric` block or the plane annotation. Plain services are left alone.
 */
export function isFabricServiceEntity(
  entity: Entity,
): entity is FabricServiceEntity {
  return (
    entity.kind === 'Component' &&
    entity.spec?.type === FABRIC_COMPONENT_TYPE_SERVICE &&
    (entity.spec?.fabric !== undefined ||
      entity.metadata.annotations?.[FABRIC_ANNOTATION_PLANE] !== undefined)
  );
}

/** True for a Component of type website that has a `spec.fabric` block. */
export function isFabricWebsiteEntity(
  entity: Entity,
): entity is FabricWebsiteEntity {
  return (
    entity.kind === 'Component' &&
    entity.spec?.type === FABRIC_COMPONENT_TYPE_WEBSITE &&
    entity.spec?.fabric !== undefined
  );
}

/** True for a Resource of `spec.type: environment` (shape not checked). */
export function isEnvironmentEntity(
  entity: Entity,
): entity is EnvironmentEntity {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ENVIRONMENT_RESOURCE_TYPE
  );
}

/** Checks a rung: its ladder, position, next rung and parity contract. */
export function parseEnvironmentEntity(
  input: unknown,
): FabricParseResult<EnvironmentEntity> {
  return parseWithProblems(
    environmentEntitySchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<EnvironmentEntity>;
}

export function parsePlaneEntity(
  input: unknown,
): FabricParseResult<PlaneEntity> {
  return parseWithProblems(
    planeEntitySchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<PlaneEntity>;
}

export function parseTenantEntity(
  input: unknown,
): FabricParseResult<TenantEntity> {
  return parseWithProblems(
    tenantEntitySchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<TenantEntity>;
}

/**
 * Checks the shape of a ZAKON rule only. Whether the rule is approved is a
 * separate question answered by `checkZakonApproval`.
 */
export function parseZakonRuleEntity(
  input: unknown,
): FabricParseResult<ZakonRuleEntity> {
  return parseWithProblems(
    zakonRuleEntitySchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<ZakonRuleEntity>;
}

export function parseFabricServiceEntity(
  input: unknown,
): FabricParseResult<FabricServiceEntity> {
  return parseWithProblems(
    fabricServiceComponentSchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<FabricServiceEntity>;
}

export function parseFabricWebsiteEntity(
  input: unknown,
): FabricParseResult<FabricWebsiteEntity> {
  return parseWithProblems(
    fabricWebsiteComponentSchema,
    input,
    describeEntity(input),
  ) as FabricParseResult<FabricWebsiteEntity>;
}

/**
 * Validates whichever Fabric part `entity` has. Returns undefined for
 * entities that are not Fabric entities (other kinds, plain components).
 * ZAKON approval is not part of this; see `checkZakonApproval`.
 */
export function parseFabricEntity(
  entity: Entity,
): FabricParseResult<FabricEntity> | undefined {
  if (isPlaneEntity(entity)) return parsePlaneEntity(entity);
  if (isTenantEntity(entity)) return parseTenantEntity(entity);
  if (isZakonRuleEntity(entity)) return parseZakonRuleEntity(entity);
  if (isFabricServiceEntity(entity)) return parseFabricServiceEntity(entity);
  if (isFabricWebsiteEntity(entity)) return parseFabricWebsiteEntity(entity);
  if (isEnvironmentEntity(entity)) return parseEnvironmentEntity(entity);
  return undefined;
}
