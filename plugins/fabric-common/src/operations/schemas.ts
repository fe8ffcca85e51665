import { z } from 'zod';
import { dnsLabelField, ipv4AddressField } from '../schemas/fields';

/**
 * Marks a fact in a catalog entity that the seed documents do not state: the
 * note says what was assumed and why, so nobody mistakes it for a seed fact.
 */
export const FABRIC_ANNOTATION_ASSUMPTION = 'fabric.samakia.io/assumption';

/**
 * DNS zone a service answers for (e.g. `infra.samakia.net`). Tenants whose
 * binding endpoints sit in that zone depend on the service to resolve them.
 */
export const FABRIC_ANNOTATION_DNS_ZONE = 'fabric.samakia.io/dns-zone';

/**
 * `spec.fabric.quorum` of a service: the hosts that vote and how many of them
 * must be up for the service to keep quorum (e.g. 2 of minio-1..3).
 */
export const serviceQuorumSchema = z
  .strictObject({
    members: z
      .array(dnsLabelField)
      .min(2, {
        error:
          'needs at least two members; a single host has no quorum to keep',
      })
      .describe('names of hosts of this service that take part in the quorum'),
    required: z
      .number({ error: 'must be a whole number, e.g. 2' })
      .int({ error: 'must be a whole number, e.g. 2' })
      .min(1, { error: 'must be at least 1' })
      .describe('how many members must be up for the service to keep quorum'),
  })
  .superRefine((quorum, ctx) => {
    if (quorum.required > quorum.members.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['required'],
        message: `is ${quorum.required} but only ${quorum.members.length} members are listed; required must be at most the number of members`,
      });
    }
  });

/**
 * One virtual IP of a service (VRRP/Keepalived) and the hosts that may hold
 * it. The address stays reachable while at least one holder is up.
 */
export const serviceVipSchema = z.strictObject({
  address: ipv4AddressField,
  holders: z
    .array(dnsLabelField)
    .min(1, { error: 'must name at least one host that can hold the VIP' })
    .describe('names of hosts of this service that can hold the address'),
});

export type ServiceQuorum = z.infer<typeof serviceQuorumSchema>;
export type ServiceVip = z.infer<typeof serviceVipSchema>;

/**
 * Adds an issue for every quorum member or VIP holder that is not one of the
 * service's hosts: a typo there would make the impact view silently wrong.
 */
export function addPlacementReferenceIssues(
  fabric: {
    hosts?: Array<{ name: string }>;
    quorum?: ServiceQuorum;
    vips?: ServiceVip[];
  },
  ctx: z.RefinementCtx,
): void {
  const hosts = new Set((fabric.hosts ?? []).map(h => h.name));
  const known = [...hosts].join(', ') || 'none';
  (fabric.quorum?.members ?? []).forEach((member, index) => {
    if (!hosts.has(member)) {
      ctx.addIssue({
        code: 'custom',
        path: ['quorum', 'members', index],
        message: `'${member}' is not one of the service's hosts (${known}); name a host listed under hosts`,
      });
    }
  });
  (fabric.vips ?? []).forEach((vip, vipIndex) => {
    vip.holders.forEach((holder, index) => {
      if (!hosts.has(holder)) {
        ctx.addIssue({
          code: 'custom',
          path: ['vips', vipIndex, 'holders', index],
          message: `'${holder}' is not one of the service's hosts (${known}); name a host listed under hosts`,
        });
      }
    });
  });
}
