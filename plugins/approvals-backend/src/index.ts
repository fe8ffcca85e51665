/**
 * Approvals backend: proposals with a state machine, exclusive review claims,
 * signed approvals, change windows, a hash-chained audit log and the CI gate.
 *
 * @packageDocumentation
 */

export { approvalsPlugin as default } from './plugin';
