/**
 * Approvals backend: proposals with a state machine, exclusive review claims,
 * signed approvals, change windows, a hash-chained audit log and the CI gate.
 *
 * @packageDocumentation
 */

export { approvalsPlugin as default } from './plugin';
export { createRouter } from './router';
export type { RouterOptions } from './router';
export { applyMigrations } from './database/migrations';
export { ProposalStore } from './database/ProposalStore';
export { DecisionStore } from './database/DecisionStore';
export { ClaimStore } from './database/ClaimStore';
export type { Claim } from './database/ClaimStore';
export { AuditStore, GENESIS_HASH } from './database/AuditStore';
export type {
  AuditChainResult,
  AuditRecord,
  AuditRecordInput,
} from './database/AuditStore';
export { ProposalService, validApprovers } from './service/ProposalService';
export type {
  ApplyAssessment,
  ProposalDetails,
  ProposalServiceOptions,
} from './service/ProposalService';
export { GateService } from './service/GateService';
export { SYSTEM_ACTOR, systemClock } from './service/actors';
export type { Actor, ApprovalsRole, Clock } from './service/actors';
export { GroupRoleResolver } from './service/roles';
export type { RoleResolver } from './service/roles';
export { createApprovalsRules, readApprovalsRules } from './service/rules';
export type {
  ApprovalsRules,
  ApprovalsRulesOptions,
  EnvironmentRules,
} from './service/rules';
export { checkChangeWindows, isInSchedule } from './service/changeWindows';
export type {
  ChangeWindowSchedule,
  WindowCheck,
} from './service/changeWindows';
export {
  InMemoryKeyRegistry,
  OpenPgpSignatureVerifier,
} from './service/signatures';
export type {
  KeyRegistry,
  SignatureCheck,
  SignatureVerifier,
} from './service/signatures';
