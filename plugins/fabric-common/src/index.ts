/**
 * Entity model of the Fabric Portal: zod schemas (the single source of truth
 * for Plane, Tenant, ZakonRule and the `spec.fabric` blocks of services and
 * websites), their types, parse helpers with readable errors, and the ZAKON
 * approval gate.
 *
 * @packageDocumentation
 */

export * from './constants';
export {
  isIpv4Address,
  isIpv4InCidr,
  isReservedIpv4InCidr,
  parseIpv4Cidr,
} from './ip';
export type { Ipv4Cidr, Ipv4CidrParseResult } from './ip';
export {
  describeValue,
  fabricErrorMap,
  formatConfigError,
  formatFieldPath,
  formatProblem,
  formatProblems,
  formatZodError,
  parseConfigBlock,
  parseWithProblems,
  problemsFromZodError,
} from './problems';
export type { FabricParseResult, FabricProblem } from './problems';
export type { RecurringWindow } from './windows';
export {
  SECRET_KEY_WORDS,
  secretWordPattern,
  secretWordsPattern,
  shortestSecretWords,
} from './secretWords';
export {
  jsonObjectField,
  jsonValueField,
  jsonValueProblem,
  MAX_JSON_DEPTH,
} from './json';
export type { JsonValueProblem } from './json';
export {
  codePointLabel,
  invisibleCharacters,
  refuseInvisible,
  showInvisibleCharacters,
  visibleNameField,
  visibleTextField,
} from './text';
export {
  canonicalFabricRef,
  resolveFabricRef,
  tryCanonicalFabricRef,
} from './refs';
export type { RefHolder } from './refs';
export {
  blankAsUndefined,
  blankFieldsAsUndefined,
  canonicalEntityRefSchema,
  checkEntityRef,
  withoutBlankFields,
} from './schemas/fields';
export type { EntityRefFieldOptions } from './schemas/fields';
export { pagingShape } from './schemas/paging';
export {
  packetKindLabel,
  packetKindPhrase,
  packetKindsPhrase,
} from './packetKinds';
export {
  planeEntitySchema,
  planeLanVipSchema,
  planeLayerSchema,
  planeNetworkSchema,
  planeSpecSchema,
} from './schemas/plane';
export type {
  PlaneEntity,
  PlaneLanVip,
  PlaneLayer,
  PlaneNetwork,
  PlanePort,
  PlaneSpec,
  PlaneType,
} from './schemas/plane';
export {
  fabricServiceComponentSchema,
  fabricServicePlaneRef,
  fabricWebsiteComponentSchema,
  serviceFabricSpecSchema,
  serviceHostSchema,
  SITE_NAME_PATTERN,
  siteNameSchema,
  websiteFabricSpecSchema,
  siteMigrationSchema,
  MIGRATION_PRIORITIES,
} from './schemas/component';
export type {
  FabricServiceEntity,
  FabricWebsiteEntity,
  HostingPlatform,
  MigrationStatus,
  ServiceFabricSpec,
  ServiceHost,
  SiteFramework,
  WebsiteFabricSpec,
  SiteMigration,
} from './schemas/component';
export {
  tenantBindingSchema,
  tenantConsumerSchema,
  tenantEntitySchema,
  tenantQuotasSchema,
  tenantSpecSchema,
} from './schemas/tenant';
export {
  LEGAL_HOLD_FIELDS,
  heldTenantRefs,
  legalHoldSchema,
} from './schemas/legalHold';
export type { LegalHold } from './schemas/legalHold';
export type {
  ConsumerProvider,
  ConsumerVariant,
  TenantBinding,
  TenantConsumer,
  TenantEntity,
  TenantQuotas,
  TenantSpec,
} from './schemas/tenant';
export {
  checkTenantChange,
  planTenantChange,
  tenantBindingRequestSchema,
  tenantQuotasRequestSchema,
} from './tenantChange';
export type {
  BindingChangeAction,
  TenantChange,
  TenantChangePlan,
  TenantChangeRequest,
  TenantChangeRow,
  TenantChangeType,
  TenantQuotasRequest,
  TenantBindingRequest,
} from './tenantChange';
export {
  zakonRuleEntitySchema,
  zakonRuleSpecSchema,
} from './schemas/zakonRule';
export type {
  ZakonEnforcementLayer,
  ZakonRuleEntity,
  ZakonRuleSpec,
  ZakonStatus,
} from './schemas/zakonRule';
export {
  environmentEntitySchema,
  environmentSpecSchema,
  parityContractSchema,
} from './schemas/environment';
export type {
  EnvironmentEntity,
  EnvironmentLadder,
  EnvironmentSpec,
  ParityContract,
} from './schemas/environment';
export {
  findRung,
  isOneRungUp,
  ladderProblems,
  ladderRungs,
  nextRung,
} from './ladder';
export type { LadderRung } from './ladder';
export {
  UNREGISTERED_ZAKON_RULES,
  ZAKON_UNREGISTERED_STATUS,
} from './unregisteredRules';
export type { UnregisteredZakonRule } from './unregisteredRules';
export {
  describeEntity,
  isEnvironmentEntity,
  isFabricServiceEntity,
  isFabricWebsiteEntity,
  isPlaneEntity,
  isTenantEntity,
  isZakonRuleEntity,
  parseFabricEntity,
  parseFabricServiceEntity,
  parseFabricWebsiteEntity,
  parseEnvironmentEntity,
  parsePlaneEntity,
  parseTenantEntity,
  parseZakonRuleEntity,
} from './parse';
export type { FabricEntity } from './parse';
export { checkZakonApproval, formatZakonBlockedMessage } from './zakon';
export type { ZakonApprovalResult } from './zakon';
export {
  isZakonRuleBlockedInCatalog,
  listBlockedZakonRules,
  unprocessedEntitiesResponseSchema,
} from './blockedRules';
export type { BlockedZakonRule } from './blockedRules';
export {
  FABRIC_LABEL_TENANT,
  TENANT_RULE_NAME,
  TENANT_SCOPED_RESOURCE_PLUGIN_IDS,
  TENANT_SCOPED_RESOURCE_TYPES,
  isTenantScopedResourceType,
  tenantConditionalDecision,
  tenantRuleParamsSchema,
} from './permissions';
export type { TenantRuleParams, TenantScopedResourceType } from './permissions';
export {
  TENANT_OWNERSHIP_FIELDS,
  ownerRefsOf,
  tenantLabelOf,
  tenantMemberCatalogReadCriteria,
  tenantMemberMayRead,
  recipientsAllowedFor,
  tenantOwnershipFromEntities,
  tenantRefsOwnedBy,
  tenantsOfEntity,
} from './tenancy';
export type { TenantOwnership } from './tenancy';
export {
  FABRIC_ANNOTATION_REQUIRED_PERMISSION,
  FABRIC_ANNOTATION_REQUIRED_PERMISSION_TENANT,
  tenantMemberMayReadTemplate,
  tenantMemberTemplateReadCriteria,
} from './templatePermissions';
export {
  SIGNING_KEY_CHALLENGE_PURPOSES,
  SIGNING_KEY_STATUSES,
  challengeSignCommand,
  signingKeyAdministerPermission,
  signingKeyChallengeRequestSchema,
  signingKeyManagePermission,
  signingKeyRegistrationSchema,
  signingKeyRevocationSchema,
  signingKeysPermissions,
} from './signingKeys';
export type {
  SigningKeyAuditRecord,
  SigningKeyChallenge,
  SigningKeyChallengePurpose,
  SigningKeyInfo,
  SigningKeyRegistration,
  SigningKeyRevocation,
  SigningKeyStatus,
} from './signingKeys';
export {
  FABRIC_ANNOTATION_ASSUMPTION,
  FABRIC_ANNOTATION_DNS_ZONE,
  serviceQuorumSchema,
  serviceVipSchema,
} from './operations/schemas';
export type { ServiceQuorum, ServiceVip } from './operations/schemas';
export {
  IMPACT_VERDICTS,
  computeFailureImpact,
  listFailureDomains,
} from './operations/impact';
export type {
  ImpactReport,
  ImpactVerdict,
  LostHost,
  PlaneImpact,
  QuorumImpact,
  ServiceImpact,
  TenantImpact,
  VipImpact,
} from './operations/impact';
export {
  ACCEPTANCE_AREA,
  FABRIC_ANNOTATION_ACCEPTANCE_TARGETS,
  computeAcceptanceHealth,
  parseAcceptanceTargets,
} from './operations/acceptance';
export type {
  AcceptanceHealth,
  AcceptanceRun,
  AcceptanceStatus,
  AcceptanceTarget,
  Observation,
  TargetHealth,
} from './operations/acceptance';
export { tenantsConsuming } from './operations/consumers';
export {
  ALAI_ALERTING_TYPE,
  ALAI_DNS_CONSOLIDATION_TYPE,
  dnsConsolidationSchema,
  sentinelSchema,
} from './operations/alai';
export type { DnsConsolidation, Sentinel } from './operations/alai';
