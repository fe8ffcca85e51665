import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  isFabricServiceEntity,
  isTenantEntity,
  parseTenantEntity,
} from '../parse';
import { canonicalFabricRef } from '../refs';
import { fabricServicePlaneRef } from '../schemas/component';
import { hostInZone } from './impact';
import { FABRIC_ANNOTATION_DNS_ZONE } from './schemas';

/**
 * The tenants (among `entities`) that consume the plane or service `ref`: a
 * tenant consumes a service its consumers or bindings name, or one that
 * answers for the DNS zone of one of its binding endpoints, and a plane it
 * names or one of whose services it consumes. Sorted refs.
 */
export function tenantsConsuming(entities: Entity[], ref: string): string[] {
  const services = entities.filter(isFabricServiceEntity).map(s => {
    const plane = fabricServicePlaneRef(s);
    return {
      ref: stringifyEntityRef(s),
      plane: plane ? canonicalFabricRef(plane, 'plane', s) : undefined,
      zone: s.metadata.annotations?.[FABRIC_ANNOTATION_DNS_ZONE],
    };
  });
  const result: string[] = [];
  for (const entity of entities.filter(isTenantEntity)) {
    const parsed = parseTenantEntity(entity);
    if (!parsed.success) continue;
    const tenant = parsed.data;
    const used = new Set<string>();
    const planes = new Set<string>();
    for (const c of tenant.spec.consumers.filter(x => x.enabled)) {
      if (c.service)
        used.add(canonicalFabricRef(c.service, 'component', tenant));
      if (c.plane) planes.add(canonicalFabricRef(c.plane, 'plane', tenant));
    }
    for (const b of tenant.spec.bindings ?? []) {
      if (b.service)
        used.add(canonicalFabricRef(b.service, 'component', tenant));
      for (const s of services) {
        if (s.zone && hostInZone(b.endpoint, s.zone)) used.add(s.ref);
      }
    }
    for (const s of services) {
      if (used.has(s.ref) && s.plane) planes.add(s.plane);
    }
    if (used.has(ref) || planes.has(ref))
      result.push(stringifyEntityRef(tenant));
  }
  return result.sort();
}
