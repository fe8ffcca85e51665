import { ComponentEntity, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  FABRIC_ANNOTATION_PLANE,
  FABRIC_COMPONENT_TYPE_SERVICE,
  FABRIC_COMPONENT_TYPE_WEBSITE,
  HOSTING_PLATFORMS,
  MIGRATION_STATUSES,
  SITE_FRAMEWORKS,
} from '../constants';
import { describeValue } from '../problems';
import { tryCanonicalFabricRef } from '../refs';
import {
  addDuplicateIssues,
  checkEntityRef,
  dnsLabelField,
  domainNameField,
  environmentRefField,
  ipv4AddressField,
  nonEmptyText,
  planeRefField,
  portField,
} from './fields';
import {
  addPlacementReferenceIssues,
  serviceQuorumSchema,
  serviceVipSchema,
} from '../operations/schemas';

export const serviceHostSchema = z.strictObject({
  name: dnsLabelField,
  failureDomain: nonEmptyText
    .optional()
    .describe('failure domain (e.g. a Proxmox node) the host runs on'),
  addresses: z.array(ipv4AddressField).min(1),
  roleTags: z
    .array(nonEmptyText)
    .optional()
    .describe(
      "Proxmox UI tags, e.g. golden-v3, plane-minio, env-infra, role-edge; a plane-<x> tag names the service's own plane",
    ),
});

/** `spec.fabric` of a Component of type service. */
export const serviceFabricSpecSchema = z
  .strictObject({
    plane: planeRefField
      .optional()
      .describe(
        'the plane the service belongs to; may be left out when the fabric.samakia.io/plane annotation names it, and both must agree',
      ),
    environment: environmentRefField,
    haTier: nonEmptyText
      .optional()
      .describe('free-text tier label such as tier-1'),
    acceptance: nonEmptyText.describe(
      'command that proves the service healthy, e.g. make dns.accept',
    ),
    ports: z
      .array(portField)
      .optional()
      .describe('each port and protocol listed once'),
    hosts: z.array(serviceHostSchema).optional().describe('host names unique'),
    quorum: serviceQuorumSchema
      .optional()
      .describe('members must be hosts of the service'),
    vips: z
      .array(serviceVipSchema)
      .optional()
      .describe('virtual IPs the service holds; holders must be its hosts'),
  })
  .superRefine((fabric, ctx) => {
    addPlacementReferenceIssues(fabric, ctx);
    addDuplicateIssues(
      ctx,
      (fabric.ports ?? []).map(p => `${p.port}/${p.protocol}`),
      ['ports'],
      port => `port ${port} is listed twice; list it once`,
    );
    addDuplicateIssues(
      ctx,
      (fabric.hosts ?? []).map(h => h.name),
      ['hosts'],
      name => `host '${name}' is listed twice; give each host its own name`,
    );
  });

/**
 * Site repositories, their Pages projects and their `website` components are named
 * `alai-<product>-web` for ALAI properties and `client-<slug>-web` for client sites.
 */
export const SITE_NAME_PATTERN = /^(alai|client)-[a-z0-9]+(-[a-z0-9]+)*-web$/;

export const siteNameSchema = z
  .string()
  .max(63, {
    error: 'is longer than 63 characters; use a shorter product or client slug',
  })
  .regex(SITE_NAME_PATTERN, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} does not follow the site naming convention; use alai-<product>-web for ALAI properties or client-<slug>-web for client sites (lower-case letters, digits and '-'), e.g. alai-shop-web`,
  });

/** Priorities of the ALAI migration table: 1 immediate, 2 planned, 3 blocked/external. */
export const MIGRATION_PRIORITIES = [1, 2, 3] as const;

/** One row of the ALAI hosting migration table (seed 003, "Migration Plan"), in its own words. */
export const siteMigrationSchema = z.strictObject({
  from: nonEmptyText.describe(
    "the table's Current Platform column, e.g. Azure VM (Caddy)",
  ),
  to: nonEmptyText.describe(
    "the table's Target Platform column, e.g. Cloudflare Pages (static)",
  ),
  priority: z
    .union(
      MIGRATION_PRIORITIES.map(p => z.literal(p)),
      {
        error:
          'must be 1 (immediate), 2 (planned) or 3 (blocked/external); leave it out where the table gives -',
      },
    )
    .optional()
    .describe(
      '1 immediate, 2 planned, 3 blocked/external; absent where the table gives -',
    ),
  downtimeWindow: nonEmptyText.describe(
    "the table's Downtime Window column, e.g. < 5 min (NS change)",
  ),
  dependency: nonEmptyText.describe(
    "the table's Dependency column, e.g. Find repo, change registrar NS",
  ),
});

/** `spec.fabric` of a Component of type website. */
export const websiteFabricSpecSchema = z
  .strictObject({
    domain: domainNameField
      .optional()
      .describe(
        'required, except for a dynamic service the sources name without a domain (migrationStatus not-applicable)',
      ),
    hostingPlatform: z
      .enum(HOSTING_PLATFORMS)
      .describe('where the site is served today'),
    dnsProvider: nonEmptyText
      .optional()
      .describe('free text, e.g. cloudflare; required with a domain'),
    framework: z.enum(SITE_FRAMEWORKS).optional(),
    migrationStatus: z.enum(MIGRATION_STATUSES),
    migration: siteMigrationSchema
      .optional()
      .describe('its row of the hosting migration table'),
  })
  .superRefine((fabric, ctx) => {
    if (
      fabric.domain === undefined &&
      fabric.migrationStatus !== 'not-applicable'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        message:
          'is missing; a site that moves needs its domain, e.g. domain: basicconsulting.no',
      });
    }
    if (fabric.domain !== undefined && fabric.dnsProvider === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dnsProvider'],
        message: `is missing; name who serves the DNS of ${fabric.domain}, e.g. dnsProvider: cloudflare`,
      });
    }
  });

const componentMetadataSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/**
 * The plane a fabric service belongs to: the annotation and `spec.fabric.plane`
 * may both name it, and then must agree.
 */
export function fabricServicePlaneRef(entity: {
  metadata: { annotations?: Record<string, string> };
  spec: { fabric: { plane?: string } };
}): string | undefined {
  return (
    entity.metadata.annotations?.[FABRIC_ANNOTATION_PLANE] ??
    entity.spec.fabric.plane
  );
}

export const fabricServiceComponentSchema = z
  .looseObject({
    apiVersion: z.literal('backstage.io/v1alpha1'),
    kind: z.literal('Component'),
    metadata: componentMetadataSchema,
    spec: z.looseObject({
      type: z.literal(FABRIC_COMPONENT_TYPE_SERVICE),
      fabric: serviceFabricSpecSchema,
    }),
  })
  .superRefine((entity, ctx) => {
    const annotationPath = ['metadata', 'annotations', FABRIC_ANNOTATION_PLANE];
    const annotated = entity.metadata.annotations?.[FABRIC_ANNOTATION_PLANE];
    const declared = entity.spec.fabric.plane;
    if (annotated === undefined && declared === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'fabric', 'plane'],
        message: `is missing; name the plane the service belongs to here or in the ${FABRIC_ANNOTATION_PLANE} annotation, e.g. plane: dns`,
      });
      return;
    }
    if (annotated !== undefined) {
      const problem = checkEntityRef(annotated, {
        defaultKind: 'Plane',
        allowedKinds: ['Plane'],
        example: 'dns',
      });
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: annotationPath,
          message: problem,
        });
        return;
      }
    }
    if (annotated !== undefined && declared !== undefined) {
      const a = tryCanonicalFabricRef(annotated, 'Plane', entity);
      const b = tryCanonicalFabricRef(declared, 'Plane', entity);
      if (a && b && a !== b) {
        ctx.addIssue({
          code: 'custom',
          path: annotationPath,
          message: `names plane ${annotated} but spec.fabric.plane names ${declared}; make both name the same plane`,
        });
        return;
      }
    }

    // Role tags follow plane-<plane>; a tag for another plane is a copy-paste slip.
    let planeName: string | undefined;
    try {
      planeName = parseEntityRef(annotated ?? declared!, {
        defaultKind: 'Plane',
      }).name;
    } catch {
      return;
    }
    (entity.spec.fabric.hosts ?? []).forEach((host, hostIndex) => {
      (host.roleTags ?? []).forEach((tag, tagIndex) => {
        if (tag.startsWith('plane-') && tag !== `plane-${planeName}`) {
          ctx.addIssue({
            code: 'custom',
            path: ['spec', 'fabric', 'hosts', hostIndex, 'roleTags', tagIndex],
            message: `'${tag}' does not match the service's plane ${planeName}; use plane-${planeName}`,
          });
        }
      });
    });
  });

/** Pages project a site is published as, when its name predates the naming convention. */
export const FABRIC_ANNOTATION_PAGES_PROJECT =
  'fabric.samakia.io/pages-project';

/**
 * The naming convention binds static sites (seed 003, "Repo Convention"): a site is named
 * `alai-<product>-web` / `client-<slug>-web`, unless it is an existing Pages project whose
 * name predates the convention (the entity then carries that exact project name, e.g.
 * `bilko-io`, in `fabric.samakia.io/pages-project`), or a dynamic app that is not a static
 * site at all (migrationStatus not-applicable). New sites always follow the convention.
 */
export const fabricWebsiteComponentSchema = z
  .looseObject({
    apiVersion: z.literal('backstage.io/v1alpha1'),
    kind: z.literal('Component'),
    metadata: componentMetadataSchema.extend({
      name: z.string().max(63, {
        error:
          'is longer than 63 characters; use a shorter product or client slug',
      }),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    spec: z.looseObject({
      type: z.literal(FABRIC_COMPONENT_TYPE_WEBSITE),
      fabric: websiteFabricSpecSchema,
    }),
  })
  .superRefine((entity, ctx) => {
    const name = entity.metadata.name;
    if (SITE_NAME_PATTERN.test(name)) return;
    const project =
      entity.metadata.annotations?.[FABRIC_ANNOTATION_PAGES_PROJECT];
    if (project === name) return;
    if (entity.spec.fabric.migrationStatus === 'not-applicable') return;
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'name'],
      message: `${describeValue(
        name,
      )} does not follow the site naming convention; use alai-<product>-web for ALAI properties or client-<slug>-web for client sites (lower-case letters, digits and '-'), e.g. alai-shop-web, or, for an existing Pages project, its exact project name together with the ${FABRIC_ANNOTATION_PAGES_PROJECT} annotation`,
    });
  });

export type ServiceHost = z.infer<typeof serviceHostSchema>;
export type ServiceFabricSpec = z.infer<typeof serviceFabricSpecSchema>;
export type WebsiteFabricSpec = z.infer<typeof websiteFabricSpecSchema>;
export type SiteMigration = z.infer<typeof siteMigrationSchema>;
export type HostingPlatform = (typeof HOSTING_PLATFORMS)[number];
export type SiteFramework = (typeof SITE_FRAMEWORKS)[number];
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** A Component of type service with a valid `spec.fabric` block. */
export interface FabricServiceEntity extends ComponentEntity {
  spec: ComponentEntity['spec'] & {
    type: typeof FABRIC_COMPONENT_TYPE_SERVICE;
    fabric: ServiceFabricSpec;
  };
}

/** A Component of type website with a valid `spec.fabric` block. */
export interface FabricWebsiteEntity extends ComponentEntity {
  spec: ComponentEntity['spec'] & {
    type: typeof FABRIC_COMPONENT_TYPE_WEBSITE;
    fabric: WebsiteFabricSpec;
  };
}
