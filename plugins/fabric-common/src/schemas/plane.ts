import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_PLANE,
  PLANE_TYPES,
} from '../constants';
import {
  isIpv4Address,
  isIpv4InCidr,
  isReservedIpv4InCidr,
  parseIpv4Cidr,
} from '../ip';
import { tryCanonicalFabricRef } from '../refs';
import {
  addDuplicateIssues,
  dnsLabelField,
  environmentRefField,
  ipv4AddressField,
  ipv4CidrField,
  nonEmptyText,
  ownerRefField,
  planeRefField,
  portField,
} from './fields';
import { describeValue } from '../problems';

export const planeLanVipSchema = z.strictObject({
  name: nonEmptyText,
  address: ipv4AddressField,
  ports: z.array(portField).optional(),
});

export const planeNetworkSchema = z
  .strictObject({
    sdnZone: nonEmptyText,
    vnet: nonEmptyText,
    vlan: z
      .int({
        error: issue =>
          `expected a VLAN id, got ${describeValue(
            issue.input,
          )}; use a whole number from 1 to 4094`,
      })
      .min(1, {
        error: issue =>
          `VLAN ${describeValue(
            issue.input,
          )} is out of range; use a whole number from 1 to 4094`,
      })
      .max(4094, {
        error: issue =>
          `VLAN ${describeValue(
            issue.input,
          )} is out of range; use a whole number from 1 to 4094`,
      }),
    cidr: ipv4CidrField,
    gatewayVip: ipv4AddressField,
    lanCidr: ipv4CidrField.optional(),
    lanVips: z.array(planeLanVipSchema).optional(),
  })
  .superRefine((network, ctx) => {
    const cidr = parseIpv4Cidr(network.cidr);
    if (cidr.ok && isIpv4Address(network.gatewayVip)) {
      if (!isIpv4InCidr(network.gatewayVip, cidr.cidr)) {
        ctx.addIssue({
          code: 'custom',
          path: ['gatewayVip'],
          message: `${network.gatewayVip} is outside spec.network.cidr ${network.cidr}; use an address inside the plane's CIDR`,
        });
      } else if (isReservedIpv4InCidr(network.gatewayVip, cidr.cidr)) {
        ctx.addIssue({
          code: 'custom',
          path: ['gatewayVip'],
          message: `${network.gatewayVip} is the network or broadcast address of ${network.cidr}; use a host address such as the first usable one`,
        });
      }
    }

    const lanVips = network.lanVips ?? [];
    const lanCidr = network.lanCidr
      ? parseIpv4Cidr(network.lanCidr)
      : undefined;
    if (lanCidr?.ok) {
      lanVips.forEach((vip, index) => {
        if (
          isIpv4Address(vip.address) &&
          !isIpv4InCidr(vip.address, lanCidr.cidr)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['lanVips', index, 'address'],
            message: `${vip.address} is outside spec.network.lanCidr ${network.lanCidr}; use an address inside the LAN CIDR or correct lanCidr`,
          });
        }
      });
    }
    addDuplicateIssues(
      ctx,
      lanVips.map(vip => vip.name),
      ['lanVips'],
      name =>
        `LAN VIP name '${name}' is used twice; give each VIP its own name`,
    );
    addDuplicateIssues(
      ctx,
      lanVips.map(vip => vip.address),
      ['lanVips'],
      address =>
        `LAN VIP address ${address} is used twice; each VIP needs its own address`,
    );
  })
  .describe(
    'Required on network planes, forbidden on the others. gatewayVip is a host address inside cidr (not its network or broadcast address); when lanCidr is given every LAN VIP address lies inside it; LAN VIP names and addresses are unique.',
  );

export const planeLayerSchema = z
  .strictObject({
    order: z.int().min(1).describe('position of the layer in the stack'),
    kubernetesNamespaces: z.array(dnsLabelField).optional(),
  })
  .describe('Only on layer planes.');

export const planeSpecSchema = z
  .strictObject({
    type: z
      .enum(PLANE_TYPES)
      .describe(
        'network: a VLAN with its CIDR and VIPs; business: served by other planes; layer: a platform layer',
      ),
    owner: ownerRefField,
    environment: environmentRefField,
    haTier: nonEmptyText
      .optional()
      .describe('free-text tier label such as tier-1'),
    failureDomains: z
      .array(nonEmptyText)
      .optional()
      .describe('e.g. the Proxmox nodes; each listed once'),
    network: planeNetworkSchema.optional(),
    servedBy: z
      .array(planeRefField)
      .optional()
      .describe(
        'only on business planes: the planes that serve this one, never the plane itself',
      ),
    layer: planeLayerSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.type === 'network' && !spec.network) {
      ctx.addIssue({
        code: 'custom',
        path: ['network'],
        message:
          'is missing; a network plane needs its network block (sdnZone, vnet, vlan, cidr, gatewayVip)',
      });
    }
    if (spec.type !== 'network' && spec.network) {
      ctx.addIssue({
        code: 'custom',
        path: ['network'],
        message: `only network planes have a network block; remove it or set spec.type: network (it is ${spec.type})`,
      });
    }
    if (spec.type !== 'layer' && spec.layer) {
      ctx.addIssue({
        code: 'custom',
        path: ['layer'],
        message: `only layer planes have a layer block; remove it or set spec.type: layer (it is ${spec.type})`,
      });
    }
    if (spec.type !== 'business' && spec.servedBy) {
      ctx.addIssue({
        code: 'custom',
        path: ['servedBy'],
        message: `only business planes list the planes that serve them; remove it or set spec.type: business (it is ${spec.type})`,
      });
    }
    addDuplicateIssues(
      ctx,
      spec.failureDomains ?? [],
      ['failureDomains'],
      domain => `failure domain '${domain}' is listed twice; list it once`,
    );
  });

export const planeEntitySchema = z
  .looseObject({
    apiVersion: z.literal(FABRIC_API_VERSION),
    kind: z.literal(FABRIC_KIND_PLANE),
    metadata: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
    }),
    spec: planeSpecSchema,
  })
  .superRefine((entity, ctx) => {
    const self = tryCanonicalFabricRef(entity.metadata.name, 'Plane', entity);
    (entity.spec.servedBy ?? []).forEach((ref, index) => {
      if (self && tryCanonicalFabricRef(ref, 'Plane', entity) === self) {
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'servedBy', index],
          message: `${ref} is this plane itself; a plane cannot serve itself, remove it`,
        });
      }
    });
  });

export type PlaneType = (typeof PLANE_TYPES)[number];
export type PlanePort = z.infer<typeof portField>;
export type PlaneLanVip = z.infer<typeof planeLanVipSchema>;
export type PlaneNetwork = z.infer<typeof planeNetworkSchema>;
export type PlaneLayer = z.infer<typeof planeLayerSchema>;
export type PlaneSpec = z.infer<typeof planeSpecSchema>;

/** A `kind: Plane` entity whose spec passed {@link planeSpecSchema}. */
export interface PlaneEntity extends Entity {
  apiVersion: typeof FABRIC_API_VERSION;
  kind: typeof FABRIC_KIND_PLANE;
  spec: PlaneSpec;
}
