/**
 * Drift backend: ingests drift runs (JSON or Terraform's JSON plan), keeps
 * their history, answers current verdicts, history and the overview, and
 * signals owners by rule. It never remediates.
 *
 * @packageDocumentation
 */

export { driftPlugin as default } from './plugin';
