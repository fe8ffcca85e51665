import { z } from 'zod';
import { domainNameField, nonEmptyText } from '../schemas/fields';
import { describeValue } from '../problems';

/**
 * ALAI's hosting operations as the seed gives them (003, "DNS Consolidation" and "Alarms and
 * Escalation"): two catalog Resources whose `spec` carries the facts, read by the ALAI
 * hosting page (parse them with `parseWithProblems`). Every text field is the seed's own wording.
 */

export const ALAI_DNS_CONSOLIDATION_TYPE = 'dns-consolidation';
export const ALAI_ALERTING_TYPE = 'alerting';

const countField = z
  .number({ error: 'must be a number of domains, e.g. 2' })
  .int({ error: 'must be a whole number of domains' })
  .min(0, { error: 'must not be negative' });

/** `spec.dnsConsolidation` of the `dns-consolidation` Resource. */
export const dnsConsolidationSchema = z.strictObject({
  target: nonEmptyText.describe('where every domain goes, e.g. Cloudflare DNS'),
  nameservers: z.array(domainNameField).min(1),
  reportedState: z
    .array(
      z.strictObject({
        provider: nonEmptyText,
        domains: countField,
      }),
    )
    .min(1)
    .describe(
      "the seed's count of domains per DNS provider when it was written",
    ),
  steps: z.array(nonEmptyText).min(1).describe('migration steps per domain'),
  notes: z.array(nonEmptyText).optional().describe('registrar notes'),
});

const siteUrlField = z
  .url({
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a URL; write it as https://<domain>`,
  })
  .refine(u => u.startsWith('https://'), { error: 'must be an https:// URL' });

/** `spec.sentinel` of the `alerting` Resource. */
export const sentinelSchema = z.strictObject({
  channel: nonEmptyText.describe('where alerts are posted, e.g. #infra-alerts'),
  uptimeCheck: z.strictObject({
    interval: nonEmptyText,
    okStatuses: z.array(z.number().int().min(100).max(599)).min(1),
    sites: z.array(siteUrlField).min(1),
  }),
  alerts: z
    .array(
      z.strictObject({
        metric: nonEmptyText,
        threshold: nonEmptyText,
        channel: nonEmptyText,
        l1: nonEmptyText,
        l2: nonEmptyText,
        l3: nonEmptyText,
      }),
    )
    .min(1),
});

export type DnsConsolidation = z.infer<typeof dnsConsolidationSchema>;
export type Sentinel = z.infer<typeof sentinelSchema>;
