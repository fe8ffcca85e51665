import { Entity } from '@backstage/catalog-model';

/** Fabric entities as the catalog stitches them, with an etag per version. */
export function plane(name: string, vlan: number, etag = 'e1'): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Plane',
    metadata: { name, namespace: 'default', etag, title: `${name} plane` },
    spec: {
      type: 'network',
      owner: 'group:default/platform-operators',
      environment: 'samakia-prod',
      haTier: 'tier-1',
      failureDomains: ['proxmox1', 'proxmox2'],
      network: { vlan },
    },
  };
}

export function service(
  name: string,
  planeName: string,
  hosts: Array<[string, string]>,
  etag = 'e1',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', etag },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/platform-operators',
      fabric: {
        plane: planeName,
        environment: 'resource:default/samakia-prod',
        haTier: 'tier-1',
        hosts: hosts.map(([host, failureDomain]) => ({
          name: host,
          failureDomain,
        })),
      },
    },
  };
}

export function tenant(
  name: string,
  owner: string,
  providers: string[],
  etag = 'e1',
): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name, namespace: 'default', etag },
    spec: {
      owner,
      environments: ['samakia-prod'],
      consumers: providers.map(provider => ({
        provider,
        ...(provider === 'postgres'
          ? { service: 'component:default/postgresql' }
          : {}),
      })),
    },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

export function rule(
  name: string,
  governs: string[],
  status = 'active',
  etag = 'e1',
): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'ZakonRule',
    metadata: { name, namespace: 'default', etag },
    spec: {
      id: name,
      owner: 'group:default/platform-operators',
      status,
      governs,
    },
  };
}
