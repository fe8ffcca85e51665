import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { tryCanonicalFabricRef } from '@internal/plugin-fabric-common';

/** The kinds the read model holds (catalog kinds, lower-case). */
export const READ_MODEL_KINDS = [
  'plane',
  'tenant',
  'zakonrule',
  'component',
] as const;

/** A looked-up fact: the questions are `fact = value` (values lower-case). */
export interface Fact {
  fact: string;
  value: string;
}

/** One row of `fabric_query_entities`. */
export interface EntityRow {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  type: string | null;
  etag: string;
  /** The stitched entity as JSON (permission conditions are applied to it). */
  entity: string;
}

export interface Projected {
  row: EntityRow;
  facts: Fact[];
}

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/** The lower-case string form of a scalar, or undefined for anything else. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return lower(value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * A reference as a canonical lower-case ref, the way the question is asked: `samakia-prod`,
 * `resource:samakia-prod` and `resource:default/samakia-prod` are the same environment.
 */
export function canonicalRef(
  value: unknown,
  defaultKind: string,
  namespace = 'default',
): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const ref = tryCanonicalFabricRef(value.trim(), defaultKind, {
    metadata: { namespace },
  });
  return ref ? lower(ref) : undefined;
}

/** The facts each kind is asked about. */
function factsOf(entity: Entity): Fact[] {
  const facts: Fact[] = [];
  const namespace = entity.metadata.namespace ?? 'default';
  const add = (fact: string, value: string | undefined) => {
    if (value !== undefined && value.length <= 255) facts.push({ fact, value });
  };
  const spec = record(entity.spec);
  add('owner', canonicalRef(spec.owner, 'group', namespace));
  switch (lower(entity.kind)) {
    case 'plane': {
      const network = record(spec.network);
      add('vlan', text(network.vlan));
      add('environment', canonicalRef(spec.environment, 'resource', namespace));
      add('hatier', text(spec.haTier));
      for (const domain of list(spec.failureDomains)) add('host', text(domain));
      break;
    }
    case 'component': {
      const fabric = record(spec.fabric);
      add('plane', canonicalRef(fabric.plane, 'plane', namespace));
      add(
        'environment',
        canonicalRef(fabric.environment, 'resource', namespace),
      );
      add('hatier', text(fabric.haTier));
      for (const host of list(fabric.hosts)) {
        // "What runs on proxmox2" and "what runs on minio-edge-1" both answer.
        add('host', text(record(host).failureDomain));
        add('host', text(record(host).name));
      }
      break;
    }
    case 'tenant': {
      for (const consumer of list(spec.consumers)) {
        const c = record(consumer);
        add('consumes', text(c.provider));
        add('consumes', canonicalRef(c.service, 'component', namespace));
      }
      for (const env of list(spec.environments)) {
        add('environment', canonicalRef(env, 'resource', namespace));
      }
      break;
    }
    case 'zakonrule': {
      add('status', text(spec.status));
      for (const target of list(spec.governs)) {
        add('governs', canonicalRef(target, 'component', namespace));
      }
      break;
    }
    default:
      break;
  }
  // One row per distinct (fact, value).
  const seen = new Set<string>();
  return facts.filter(f => {
    const key = `${f.fact}\u0000${f.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A catalog entity as the read model stores it. */
export function projectEntity(entity: Entity): Projected {
  const spec = record(entity.spec);
  return {
    row: {
      ref: lower(stringifyEntityRef(entity)),
      kind: lower(entity.kind),
      namespace: lower(entity.metadata.namespace ?? 'default'),
      name: lower(entity.metadata.name),
      title: entity.metadata.title ?? null,
      type: text(spec.type) ?? null,
      etag: entity.metadata.etag ?? '',
      entity: JSON.stringify(entity),
    },
    facts: factsOf(entity),
  };
}
