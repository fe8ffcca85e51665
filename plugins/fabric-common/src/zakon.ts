import {
  ZAKON_CEO_APPROVAL_TOKEN,
  ZAKON_GRANDFATHERED_TOKEN,
  ZAKON_STATUSES,
} from './constants';
import { describeEntity, parseZakonRuleEntity } from './parse';
import { FabricProblem, formatProblems } from './problems';
import { ZakonRuleEntity } from './schemas/zakonRule';

/** Outcome of the ZAKON approval gate for one rule. */
export type ZakonApprovalResult =
  | { approved: true; rule: ZakonRuleEntity }
  | { approved: false; problems: FabricProblem[] };

function describeToken(token: string | undefined): string {
  return token === undefined ? 'it is missing' : `got '${token}'`;
}

/**
 * The ZAKON approval gate. It fails closed: a rule is approved only when its
 * spec parses and its status carries every approval the registry demands.
 *
 * - `legacy-pre-registry` needs the token `GRANDFATHERED-PRE-2026-05-12`.
 * - `approved-pending-author`, `approved-live` (the two statuses seed 003's
 *   creation gate accepts) and `active` need `[CEO_APPROVED]`, a tracking task
 *   and an approval date; `active` also needs the published sha256.
 * - Anything else, including a spec that does not parse, is blocked.
 *
 * Every problem says how to fix it.
 */
export function checkZakonApproval(rule: unknown): ZakonApprovalResult {
  const parsed = parseZakonRuleEntity(rule);
  if (!parsed.success) {
    return { approved: false, problems: parsed.problems };
  }
  const spec = parsed.data.spec;
  const problems: FabricProblem[] = [];

  switch (spec.status) {
    case 'legacy-pre-registry':
      if (spec.approvalToken !== ZAKON_GRANDFATHERED_TOKEN) {
        problems.push({
          path: 'spec.approvalToken',
          message: `status legacy-pre-registry needs the token ${ZAKON_GRANDFATHERED_TOKEN} (${describeToken(
            spec.approvalToken,
          )}); only the rules grandfathered on 2026-05-12 are legacy, so a new rule goes through the registry gate instead: status approved-pending-author with ${ZAKON_CEO_APPROVAL_TOKEN}, a tracking task and an approval date`,
        });
      }
      break;
    case 'approved-pending-author':
    case 'approved-live':
    case 'active':
      if (spec.approvalToken !== ZAKON_CEO_APPROVAL_TOKEN) {
        problems.push({
          path: 'spec.approvalToken',
          message: `status ${
            spec.status
          } needs the approval token ${ZAKON_CEO_APPROVAL_TOKEN} (${describeToken(
            spec.approvalToken,
          )}); get the CEO approval on the rule's tracking task and record the token exactly as ${ZAKON_CEO_APPROVAL_TOKEN}`,
        });
      }
      if (!spec.trackingTask) {
        problems.push({
          path: 'spec.trackingTask',
          message: `status ${spec.status} needs the tracking task that carries the approval (it is missing); add it, e.g. trackingTask: MC-99911`,
        });
      }
      if (!spec.approvalDate) {
        problems.push({
          path: 'spec.approvalDate',
          message: `status ${spec.status} needs the date of the approval (it is missing); add it as approvalDate: 'YYYY-MM-DD'`,
        });
      }
      if (spec.status === 'active' && !spec.publishedSha256) {
        problems.push({
          path: 'spec.publishedSha256',
          message:
            'status active needs the sha256 of the published rule file (it is missing); record the 64-hex digest of the published file, or keep status approved-pending-author until it is published',
        });
      }
      break;
    default:
      // Unreachable while the schema restricts statuses; kept so a new status
      // added to the schema is blocked until this gate knows about it.
      problems.push({
        path: 'spec.status',
        message: `'${String(
          spec.status,
        )}' is not a status the approval gate knows; use one of: ${ZAKON_STATUSES.join(
          ', ',
        )}`,
      });
  }

  return problems.length
    ? { approved: false, problems }
    : { approved: true, rule: parsed.data };
}

/**
 * The message shown for a blocked rule, naming the rule and every fix,
 * e.g. as the catalog processing error.
 */
export function formatZakonBlockedMessage(
  rule: unknown,
  problems: ReadonlyArray<FabricProblem>,
): string {
  return `${describeEntity(
    rule,
  )} is blocked by the ZAKON approval gate (fail closed) and is not ingested until fixed:\n${formatProblems(
    problems,
  )}`;
}
