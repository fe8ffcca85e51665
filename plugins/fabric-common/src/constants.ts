/** API version of every kind this package defines. */
export const FABRIC_API_VERSION = 'fabric.samakia.io/v1alpha1';

/** A slice of the platform with its own network and failure domains. */
export const FABRIC_KIND_PLANE = 'Plane';
/** A project binding: owner, environments, consumers, quotas and bindings. */
export const FABRIC_KIND_TENANT = 'Tenant';
/** A governance rule from the ZAKON registry. */
export const FABRIC_KIND_ZAKON_RULE = 'ZakonRule';

/** Every kind served under {@link FABRIC_API_VERSION}. */
export const FABRIC_KINDS = [
  FABRIC_KIND_PLANE,
  FABRIC_KIND_TENANT,
  FABRIC_KIND_ZAKON_RULE,
] as const;

/** Component `spec.type` values whose `spec.fabric` block this package validates. */
export const FABRIC_COMPONENT_TYPE_SERVICE = 'service';
export const FABRIC_COMPONENT_TYPE_WEBSITE = 'website';

/** Prefix shared by all Fabric annotations. */
export const FABRIC_ANNOTATION_PREFIX = 'fabric.samakia.io/';
/** Plane a service belongs to (plane name or ref); must agree with `spec.fabric.plane`. */
export const FABRIC_ANNOTATION_PLANE = 'fabric.samakia.io/plane';
/** Original environment id when it is not a valid entity name (e.g. `local_parity`). */
export const FABRIC_ANNOTATION_ENVIRONMENT_ID =
  'fabric.samakia.io/environment-id';
/** Tracking task (e.g. `MC-8485`) behind a piece of work on the entity. */
export const FABRIC_ANNOTATION_TRACKING_TASK =
  'fabric.samakia.io/tracking-task';
/** Hosting platform a website is meant to end up on. */
export const FABRIC_ANNOTATION_TARGET_HOSTING =
  'fabric.samakia.io/target-hosting';
/** The proposal an entity was created by (new tenants and rules become active once it is applied). */
export const FABRIC_ANNOTATION_PROPOSAL_ID = 'fabric.samakia.io/proposal-id';

/** Entity `spec.type` of a Resource that models an environment. */
export const ENVIRONMENT_RESOURCE_TYPE = 'environment';

/**
 * The environment ladders, one per system (`spec.ladder` of an environment):
 * - `samakia`: samakia-dev -> samakia-staging -> samakia-prod (seed 001);
 * - `samakia-infra`: the infra planes' own Terraform environments
 *   (ENV=samakia-dns/-minio/-shared, tag env-infra; seed 000), one rung each;
 * - `254carbon`: local -> dev (future) -> staging -> prod (seed 002);
 * - `run-operate`: local_parity -> dev -> prod with a parity contract (seed 004).
 */
export const ENVIRONMENT_LADDERS = [
  'samakia',
  'samakia-infra',
  '254carbon',
  'run-operate',
] as const;
/** Ladders whose every rung carries a parity contract. */
export const PARITY_LADDERS = ['run-operate'] as const;
/** What a parity contract keeps identical on every rung (seed 004). */
export const PARITY_MUST_MATCH = [
  'schemas',
  'envelope-pins',
  'dedupe-keys',
  'manifest-receipt-layouts',
  'registry-scope-rules',
] as const;
/** The only things a parity contract lets rungs differ in (seed 004). */
export const PARITY_MAY_DIFFER = [
  'capacity-scale',
  'retention-windows',
  'auth-mode',
  'observability-sampling',
] as const;
/**
 * Marks a value the seeds do not state: the annotation's text says what was
 * assumed and why, so nobody mistakes it for a seed fact.
 */
export const FABRIC_ANNOTATION_ASSUMPTION = 'fabric.samakia.io/assumption';

/**
 * plane/service/tenant -> environment Resource the entity is deployed to.
 * Not a standard Backstage relation; see the package README.
 */
export const RELATION_DEPLOYED_TO = 'deployedTo';
/** Reverse of {@link RELATION_DEPLOYED_TO}. */
export const RELATION_DEPLOYMENT_OF = 'deploymentOf';
/**
 * ZakonRule -> entity the rule governs (explicit refs in `spec.governs` only).
 * Not a standard Backstage relation; see the package README.
 */
export const RELATION_GOVERNS = 'governs';
/** Reverse of {@link RELATION_GOVERNS}. */
export const RELATION_GOVERNED_BY = 'governedBy';

/**
 * The relation pairs this package adds on top of the standard Backstage ones,
 * as `[forward, reverse]`; for example to extend the catalog graph's pairs.
 */
export const FABRIC_RELATION_PAIRS: ReadonlyArray<readonly [string, string]> = [
  [RELATION_DEPLOYED_TO, RELATION_DEPLOYMENT_OF],
  [RELATION_GOVERNS, RELATION_GOVERNED_BY],
];

export const PLANE_TYPES = ['network', 'business', 'layer'] as const;
export const PORT_PROTOCOLS = ['tcp', 'udp', 'tls', 'http', 'https'] as const;
export const CONSUMER_PROVIDERS = [
  'postgres',
  'mariadb',
  'rabbitmq',
  'dragonfly',
  'qdrant',
] as const;
export const CONSUMER_VARIANTS = ['single', 'cluster'] as const;
/**
 * The platform consumer contract types of Samakia Fabric (seed 001, Phase 6: ready/enabled
 * manifests for kubernetes, database, message-queue and cache consumers).
 */
export const CONSUMER_CONTRACT_TYPES = [
  'kubernetes',
  'database',
  'message-queue',
  'cache',
] as const;
/**
 * The contract type each tenant consumer provider falls under. Qdrant (a vector store) as a
 * database is the portal's reading; the seeds do not classify it.
 */
export const PROVIDER_CONTRACT_TYPE: Record<
  (typeof CONSUMER_PROVIDERS)[number],
  (typeof CONSUMER_CONTRACT_TYPES)[number]
> = {
  postgres: 'database',
  mariadb: 'database',
  rabbitmq: 'message-queue',
  dragonfly: 'cache',
  qdrant: 'database',
};
/** What a tenant may ask for through a proposal against its current entity. */
export const TENANT_CHANGE_TYPES = [
  'capacity-change',
  'binding-change',
] as const;
/** How a binding change treats the binding it names. */
export const BINDING_CHANGE_ACTIONS = ['add', 'replace', 'remove'] as const;
export const HOSTING_PLATFORMS = [
  'vercel',
  'cloudflare-pages',
  'netlify',
  'github-pages',
  'other',
] as const;
export const SITE_FRAMEWORKS = ['html', 'next', 'astro'] as const;
export const MIGRATION_STATUSES = [
  'pending',
  'in-progress',
  'migrated',
  'blocked',
  'not-applicable',
] as const;

export const ZAKON_STATUSES = [
  'legacy-pre-registry',
  'approved-pending-author',
  'approved-live',
  'active',
] as const;
export const ZAKON_ENFORCEMENT_LAYERS = [
  'pre-tool-use-hook',
  'post-tool-use-hook',
  'nightly-daemon',
  'registry-gate',
] as const;
/** Approval token of a rule created through the registry gate. */
export const ZAKON_CEO_APPROVAL_TOKEN = '[CEO_APPROVED]';
/** Token of the rules that predate the registry; an audit snapshot, not an approval. */
export const ZAKON_GRANDFATHERED_TOKEN = 'GRANDFATHERED-PRE-2026-05-12';

/**
 * `status.items[].type` the catalog uses for processing errors on a stored
 * entity (same value as `ENTITY_STATUS_CATALOG_PROCESSING_TYPE` in
 * `@backstage/catalog-client`, repeated here so this package stays light).
 */
export const CATALOG_PROCESSING_STATUS_TYPE = 'backstage.io/catalog-processing';
