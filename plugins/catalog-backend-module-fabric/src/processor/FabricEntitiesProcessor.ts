import {
  CompoundEntityRef,
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  FABRIC_API_VERSION,
  FABRIC_KINDS,
  FabricServiceEntity,
  PlaneEntity,
  RELATION_DEPLOYED_TO,
  RELATION_DEPLOYMENT_OF,
  RELATION_GOVERNED_BY,
  RELATION_GOVERNS,
  TenantEntity,
  ZakonRuleEntity,
  checkZakonApproval,
  fabricServicePlaneRef,
  formatZakonBlockedMessage,
  isFabricServiceEntity,
  isFabricWebsiteEntity,
  isPlaneEntity,
  isTenantEntity,
  isZakonRuleEntity,
  parseFabricEntity,
  resolveFabricRef,
} from '@internal/plugin-fabric-common';
import { TenantsSource, tenantSideEmit } from './tenantSideRelations';

/** A relation and its reverse, emitted together so both ends show it. */
interface RelationPair {
  forward: string;
  reverse: string;
  target: CompoundEntityRef;
}

/**
 * Validates the Fabric kinds (Plane, Tenant, ZakonRule) and the `spec.fabric`
 * block of service and website Components, refuses ZAKON rules that fail the
 * approval gate, and emits the relations the Fabric model implies.
 *
 * Validation failures throw InputError: the catalog then records the message
 * as the entity's processing error and does not store that version.
 */
export class FabricEntitiesProcessor implements CatalogProcessor {
  constructor(private readonly tenants: TenantsSource = () => []) {}

  getProcessorName(): string {
    return 'FabricEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (isZakonRuleEntity(entity)) {
      // The gate includes the schema check, so a rule that does not parse is
      // blocked with the same kind of message as an unapproved one.
      const approval = checkZakonApproval(entity);
      if (!approval.approved) {
        throw new InputError(
          formatZakonBlockedMessage(entity, approval.problems),
        );
      }
      return true;
    }

    if (
      entity.apiVersion === FABRIC_API_VERSION &&
      !(FABRIC_KINDS as ReadonlyArray<string>).includes(entity.kind)
    ) {
      throw new InputError(
        `kind ${
          entity.kind
        } is not part of ${FABRIC_API_VERSION}; use one of ${FABRIC_KINDS.join(
          ', ',
        )}`,
      );
    }

    const result = parseFabricEntity(entity);
    if (!result) {
      return false;
    }
    if (!result.success) {
      throw new InputError(result.message);
    }
    // Components stay owned by the built-in processor; we only add a check.
    return isPlaneEntity(entity) || isTenantEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const parsed = parseFabricEntity(entity);
    // Invalid entities never get here (validation threw); plain ones need nothing.
    if (!parsed?.success) {
      return entity;
    }
    const pairs = this.relationsOf(parsed.data);
    const source = getCompoundEntityRef(entity);
    // A tenant's relations stay on the tenant's side (see tenantSideRelations.ts).
    const publish = tenantSideEmit(entity, emit, this.tenants());
    const emitted = new Set<string>();
    for (const pair of pairs) {
      const key = `${pair.forward}|${stringifyEntityRef(pair.target)}`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      publish(
        processingResult.relation({
          source,
          type: pair.forward,
          target: pair.target,
        }),
      );
      publish(
        processingResult.relation({
          source: pair.target,
          type: pair.reverse,
          target: source,
        }),
      );
    }
    return entity;
  }

  private relationsOf(entity: Entity): RelationPair[] {
    if (isPlaneEntity(entity)) return planeRelations(entity);
    if (isTenantEntity(entity)) return tenantRelations(entity);
    if (isZakonRuleEntity(entity)) return zakonRuleRelations(entity);
    if (isFabricServiceEntity(entity)) return serviceRelations(entity);
    if (isFabricWebsiteEntity(entity)) return [];
    return [];
  }
}

function ownedBy(entity: Entity, owner: string): RelationPair {
  return {
    forward: RELATION_OWNED_BY,
    reverse: RELATION_OWNER_OF,
    target: resolveFabricRef(owner, 'Group', entity),
  };
}

function deployedTo(entity: Entity, environment: string): RelationPair {
  return {
    forward: RELATION_DEPLOYED_TO,
    reverse: RELATION_DEPLOYMENT_OF,
    target: resolveFabricRef(environment, 'Resource', entity),
  };
}

function dependsOn(
  entity: Entity,
  ref: string,
  defaultKind: string,
): RelationPair {
  return {
    forward: RELATION_DEPENDS_ON,
    reverse: RELATION_DEPENDENCY_OF,
    target: resolveFabricRef(ref, defaultKind, entity),
  };
}

function planeRelations(plane: PlaneEntity): RelationPair[] {
  return [
    ownedBy(plane, plane.spec.owner),
    deployedTo(plane, plane.spec.environment),
    // A business plane relies on the planes that serve it.
    ...(plane.spec.servedBy ?? []).map(ref => dependsOn(plane, ref, 'Plane')),
  ];
}

function serviceRelations(service: FabricServiceEntity): RelationPair[] {
  const pairs = [deployedTo(service, service.spec.fabric.environment)];
  const plane = fabricServicePlaneRef(service);
  if (plane) {
    pairs.push({
      forward: RELATION_PART_OF,
      reverse: RELATION_HAS_PART,
      target: resolveFabricRef(plane, 'Plane', service),
    });
  }
  return pairs;
}

function tenantRelations(tenant: TenantEntity): RelationPair[] {
  const { spec } = tenant;
  const enabled = spec.consumers.filter(consumer => consumer.enabled);
  const enabledProviders = new Set<string>(enabled.map(c => c.provider));
  return [
    ownedBy(tenant, spec.owner),
    ...spec.environments.map(env => deployedTo(tenant, env)),
    // Only enabled consumers are actually consumed.
    ...enabled.flatMap(consumer => [
      ...(consumer.service
        ? [dependsOn(tenant, consumer.service, 'Component')]
        : []),
      ...(consumer.plane ? [dependsOn(tenant, consumer.plane, 'Plane')] : []),
    ]),
    ...(spec.bindings ?? [])
      .filter(
        binding => binding.service && enabledProviders.has(binding.consumer),
      )
      .map(binding => dependsOn(tenant, binding.service!, 'Component')),
  ];
}

function zakonRuleRelations(rule: ZakonRuleEntity): RelationPair[] {
  // Only explicit refs: inScope globs match files, which are not entities.
  return [
    ownedBy(rule, rule.spec.owner),
    ...(rule.spec.governs ?? []).map(ref => ({
      forward: RELATION_GOVERNS,
      reverse: RELATION_GOVERNED_BY,
      target: resolveFabricRef(ref, undefined, rule),
    })),
  ];
}
