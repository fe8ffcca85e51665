import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  isFabricServiceEntity,
  isPlaneEntity,
  isTenantEntity,
  parseFabricServiceEntity,
  parsePlaneEntity,
  parseTenantEntity,
} from '../parse';
import { canonicalFabricRef } from '../refs';
import { fabricServicePlaneRef } from '../schemas/component';
import { FABRIC_ANNOTATION_DNS_ZONE } from './schemas';

/**
 * What the loss of one failure domain (a Proxmox host) does to a thing, from
 * least to most severe. `unknown`: the catalog does not say where it runs.
 */
export const IMPACT_VERDICTS = [
  'unknown',
  'degraded',
  'quorum-lost',
  'down',
] as const;
export type ImpactVerdict = (typeof IMPACT_VERDICTS)[number];

const severity = (v: ImpactVerdict) => IMPACT_VERDICTS.indexOf(v);
function worst(verdicts: ImpactVerdict[]): ImpactVerdict {
  return verdicts.reduce<ImpactVerdict>(
    (a, b) => (severity(b) > severity(a) ? b : a),
    'unknown',
  );
}

export interface LostHost {
  name: string;
  service: string;
  addresses: string[];
}

export interface QuorumImpact {
  members: string[];
  required: number;
  remaining: number;
  kept: boolean;
}

export interface ServiceImpact {
  ref: string;
  title: string;
  plane: string;
  verdict: ImpactVerdict;
  hostsLost: string[];
  hostsRemaining: string[];
  quorum?: QuorumImpact;
  why: string;
}

export interface VipImpact {
  address: string;
  /** The plane's name for the address (e.g. `dns`, `gateway`) when it has one. */
  name?: string;
  service: string;
  plane: string;
  holdersLost: string[];
  holdersRemaining: string[];
  /** Kept: another holder can take the address over (VRRP); lost: no holder is left. */
  verdict: 'kept' | 'lost';
}

export interface PlaneImpact {
  ref: string;
  title: string;
  verdict: ImpactVerdict;
  services: string[];
}

export interface TenantImpact {
  ref: string;
  title: string;
  verdict: ImpactVerdict;
  via: Array<{ service: string; reason: string }>;
}

/** The answer to "what breaks if this failure domain goes down". */
export interface ImpactReport {
  failureDomain: string;
  hosts: LostHost[];
  services: ServiceImpact[];
  vips: VipImpact[];
  planes: PlaneImpact[];
  tenants: TenantImpact[];
}

/** Every failure domain the catalog places a host in or a plane spans, sorted. */
export function listFailureDomains(entities: Entity[]): string[] {
  const domains = new Set<string>();
  for (const entity of entities) {
    if (isFabricServiceEntity(entity)) {
      for (const host of entity.spec.fabric?.hosts ?? []) {
        if (host.failureDomain) domains.add(host.failureDomain);
      }
    } else if (isPlaneEntity(entity)) {
      for (const d of entity.spec?.failureDomains ?? []) domains.add(d);
    }
  }
  return [...domains].sort();
}

type Service = ReturnType<typeof collect>['services'][number];

function collect(entities: Entity[]) {
  // Entities that fail validation are skipped: the catalog processor already
  // reports them, and a half-read entity would give a wrong verdict.
  const services = entities.flatMap(e => {
    if (!isFabricServiceEntity(e)) return [];
    const parsed = parseFabricServiceEntity(e);
    if (!parsed.success) return [];
    const entity = parsed.data;
    const ref = stringifyEntityRef(entity);
    const planeRef = fabricServicePlaneRef(entity);
    return [
      {
        entity,
        ref,
        plane: planeRef ? canonicalFabricRef(planeRef, 'plane', entity) : '',
      },
    ];
  });
  const planes = entities.flatMap(e => {
    if (!isPlaneEntity(e)) return [];
    const parsed = parsePlaneEntity(e);
    return parsed.success ? [parsed.data] : [];
  });
  const tenants = entities.flatMap(e => {
    if (!isTenantEntity(e)) return [];
    const parsed = parseTenantEntity(e);
    return parsed.success ? [parsed.data] : [];
  });
  return { services, planes, tenants };
}

function serviceImpact(
  service: Service,
  domain: string,
): ServiceImpact | undefined {
  const { entity, ref, plane } = service;
  const hosts = entity.spec.fabric.hosts ?? [];
  const lost = hosts.filter(h => h.failureDomain === domain).map(h => h.name);
  if (lost.length === 0) return undefined;
  const remaining = hosts
    .filter(h => h.failureDomain !== domain)
    .map(h => h.name);
  const reasons: string[] = [];
  const verdicts: ImpactVerdict[] = ['degraded'];

  let quorum: QuorumImpact | undefined;
  const q = entity.spec.fabric.quorum;
  if (q) {
    const up = q.members.filter(m => !lost.includes(m)).length;
    quorum = {
      members: q.members,
      required: q.required,
      remaining: up,
      kept: up >= q.required,
    };
    reasons.push(
      `${up} of ${q.members.length} quorum members remain, ${
        q.required
      } needed: quorum ${quorum.kept ? 'kept' : 'lost'}`,
    );
    if (!quorum.kept) verdicts.push('quorum-lost');
  }
  const vipsLost = (entity.spec.fabric.vips ?? []).filter(v =>
    v.holders.every(h => lost.includes(h)),
  );
  if (vipsLost.length > 0) {
    reasons.push(
      `no holder left for ${vipsLost.map(v => v.address).join(', ')}`,
    );
    verdicts.push('down');
  }
  if (remaining.length === 0) {
    reasons.push('every host of the service is on this failure domain');
    verdicts.push('down');
  } else {
    reasons.unshift(`${remaining.length} of ${hosts.length} hosts remain`);
  }
  const vipsKept = (entity.spec.fabric.vips ?? []).filter(
    v => !vipsLost.includes(v) && v.holders.some(h => lost.includes(h)),
  );
  if (vipsKept.length > 0) {
    reasons.push(`${vipsKept.map(v => v.address).join(', ')} keep a holder`);
  }
  return {
    ref,
    title: entity.metadata.title ?? entity.metadata.name,
    plane,
    verdict: worst(verdicts),
    hostsLost: lost,
    hostsRemaining: remaining,
    quorum,
    why: reasons.join('; '),
  };
}

export function hostInZone(endpoint: string, zone: string): boolean {
  const host = endpoint.replace(/:\d+$/, '').toLocaleLowerCase('en-US');
  const z = zone.toLocaleLowerCase('en-US').replace(/\.$/, '');
  return host === z || host.endsWith(`.${z}`);
}

/**
 * What breaks when `failureDomain` goes down, from the catalog alone: the
 * hosts placed there, each service that loses capacity, quorum or a VIP, the
 * planes those services belong to (and network planes spanning the domain
 * whose services have no placement: `unknown`), and the tenants that consume
 * an affected service or resolve their endpoints through one.
 *
 * Pure: the caller decides which entities the answer may mention (tenants a
 * caller may not read must not be passed in).
 */
export function computeFailureImpact(
  entities: Entity[],
  failureDomain: string,
): ImpactReport {
  const { services, planes, tenants } = collect(entities);
  const hosts: LostHost[] = [];
  const serviceImpacts: ServiceImpact[] = [];
  const vips: VipImpact[] = [];
  const planeTitles = new Map(
    planes.map(p => [stringifyEntityRef(p), p] as const),
  );

  for (const service of services) {
    for (const host of service.entity.spec.fabric.hosts ?? []) {
      if (host.failureDomain === failureDomain) {
        hosts.push({
          name: host.name,
          service: service.ref,
          addresses: host.addresses,
        });
      }
    }
    const impact = serviceImpact(service, failureDomain);
    if (!impact) continue;
    serviceImpacts.push(impact);
    const network = planeTitles.get(service.plane)?.spec.network;
    for (const vip of service.entity.spec.fabric.vips ?? []) {
      const holdersLost = vip.holders.filter(h => impact.hostsLost.includes(h));
      if (holdersLost.length === 0) continue;
      const name =
        network?.gatewayVip === vip.address
          ? 'gateway'
          : network?.lanVips?.find(v => v.address === vip.address)?.name;
      vips.push({
        address: vip.address,
        ...(name ? { name } : {}),
        service: service.ref,
        plane: service.plane,
        holdersLost,
        holdersRemaining: vip.holders.filter(h => !holdersLost.includes(h)),
        verdict: holdersLost.length === vip.holders.length ? 'lost' : 'kept',
      });
    }
  }

  // Services on a plane that spans the domain but whose hosts the catalog
  // does not place: their fate is unknown, and the view says so.
  const byRef = new Map(serviceImpacts.map(s => [s.ref, s] as const));
  const planeImpacts: PlaneImpact[] = [];
  for (const plane of planes) {
    const ref = stringifyEntityRef(plane);
    const own = services.filter(s => s.plane === ref);
    const affected = own.filter(s => byRef.has(s.ref));
    const unplaced = own.filter(
      s => !(s.entity.spec.fabric.hosts ?? []).some(h => h.failureDomain),
    );
    const spans = (plane.spec.failureDomains ?? []).includes(failureDomain);
    if (affected.length === 0 && !(spans && unplaced.length > 0)) continue;
    for (const s of spans ? unplaced : []) {
      serviceImpacts.push({
        ref: s.ref,
        title: s.entity.metadata.title ?? s.entity.metadata.name,
        plane: ref,
        verdict: 'unknown',
        hostsLost: [],
        hostsRemaining: [],
        why: `the plane spans ${failureDomain} but the catalog does not place this service's hosts`,
      });
    }
    const listed = serviceImpacts.filter(s => s.plane === ref);
    planeImpacts.push({
      ref,
      title: plane.metadata.title ?? plane.metadata.name,
      verdict: worst(listed.map(s => s.verdict)),
      services: listed.map(s => s.ref),
    });
  }

  const tenantImpacts: TenantImpact[] = [];
  for (const tenant of tenants) {
    const via: TenantImpact['via'] = [];
    const verdicts: ImpactVerdict[] = [];
    const used = new Set<string>();
    for (const c of tenant.spec.consumers) {
      if (c.enabled && c.service) {
        used.add(canonicalFabricRef(c.service, 'component', tenant));
      }
    }
    for (const b of tenant.spec.bindings ?? []) {
      if (b.service)
        used.add(canonicalFabricRef(b.service, 'component', tenant));
    }
    for (const s of serviceImpacts) {
      if (s.verdict === 'unknown') continue;
      if (used.has(s.ref)) {
        via.push({
          service: s.ref,
          reason: 'the tenant consumes this service',
        });
        verdicts.push(s.verdict);
        continue;
      }
      const zone = services.find(x => x.ref === s.ref)?.entity.metadata
        .annotations?.[FABRIC_ANNOTATION_DNS_ZONE];
      const endpoints = zone
        ? (tenant.spec.bindings ?? [])
            .map(b => b.endpoint)
            .filter(e => hostInZone(e, zone))
        : [];
      if (endpoints.length > 0) {
        via.push({
          service: s.ref,
          reason: `answers for ${zone}, the zone of ${endpoints.join(', ')}`,
        });
        verdicts.push(s.verdict);
      }
    }
    if (via.length > 0) {
      tenantImpacts.push({
        ref: stringifyEntityRef(tenant),
        title: tenant.metadata.title ?? tenant.metadata.name,
        verdict: worst(verdicts),
        via,
      });
    }
  }

  const byRefSort = <T extends { ref: string }>(a: T, b: T) =>
    a.ref.localeCompare(b.ref);
  return {
    failureDomain,
    hosts: hosts.sort((a, b) => a.name.localeCompare(b.name)),
    services: serviceImpacts.sort(byRefSort),
    vips: vips.sort((a, b) => a.address.localeCompare(b.address)),
    planes: planeImpacts.sort(byRefSort),
    tenants: tenantImpacts.sort(byRefSort),
  };
}
