import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DRIFT_TAXONOMY,
  DriftFinding,
  DriftSignalKind,
} from '@internal/plugin-drift-common';
import { OutboxEntry, OutboxPayload } from '../database/NotificationStore';

/** The entity page's Drift tab. */
export function driftTabLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/drift`;
}

export interface SignalMessageInput {
  scopeKey: string;
  entity: string;
  entityTitle: string;
  tenant?: string;
  tenantTitle?: string;
  environment: string;
  source: string;
  triggers: Array<{ kind: DriftSignalKind; finding: DriftFinding }>;
}

function listed(lines: string[]): string {
  const shown = lines.slice(0, 5);
  const more = lines.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** Wording for operators and owners of platform entities. */
export function platformMessage(input: SignalMessageInput): OutboxPayload {
  const fails = input.triggers.filter(t => t.kind === 'new-fail');
  const warns = input.triggers.filter(t => t.kind === 'persisting-warn');
  const counts = [
    fails.length ? `${fails.length} new FAIL` : '',
    warns.length ? `${warns.length} persisting WARN` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const where =
    input.tenant && input.tenant !== input.entity
      ? `${input.entityTitle} of ${input.tenantTitle ?? input.tenant}`
      : input.entityTitle;
  return {
    title: `Drift ${fails.length ? 'FAIL' : 'WARN'} on ${where} (${
      input.environment
    })`,
    description: `${counts} from ${input.source}: ${listed(
      input.triggers.map(
        ({ finding: f }) =>
          `${f.provider} ${f.resource} (${f.class}${
            f.message ? `: ${f.message}` : ''
          })`,
      ),
    )}. Nothing was changed; decide on a reviewed change.`,
    link: driftTabLink(input.entity),
    severity: fails.length ? 'high' : 'normal',
    topic: 'drift',
    scope: `drift:${input.scopeKey}:platform`,
  };
}

/** Wording for the tenant's own team: what differs, what happens, what they can do. */
export function tenantMessage(input: SignalMessageInput): OutboxPayload {
  const name = input.tenantTitle ?? input.tenant ?? input.entityTitle;
  const n = input.triggers.length;
  const fails = input.triggers.some(t => t.kind === 'new-fail');
  return {
    title: `${name}: ${n} resource${n === 1 ? '' : 's'} differ${
      n === 1 ? 's' : ''
    } from your contract in ${input.environment}`,
    description: `${listed(
      input.triggers.map(
        ({ finding: f }) =>
          `your ${f.provider} ${f.resource} ${
            DRIFT_TAXONOMY[f.class].tenantPhrase
          } (${f.verdict})`,
      ),
    )}. The platform team has been told and nothing is changed automatically. If this is what you want, submit a proposal so your contract says so.`,
    link: driftTabLink(input.tenant ?? input.entity),
    severity: fails ? 'high' : 'normal',
    topic: 'drift',
    scope: `drift:${input.scopeKey}:tenant`,
  };
}

/** Sends one outbox entry. */
export interface DriftDelivery {
  deliver(entry: OutboxEntry): Promise<void>;
}

export interface ExternalDeliveryConfig {
  enabled: boolean;
  webhooks: Array<{ url: string; headers: Record<string, string> }>;
}

/**
 * Delivers in the portal through Backstage notifications; outside it (JSON
 * webhooks) only when `drift.notifications.external.enabled` is true. A
 * failing webhook is logged and never blocks the portal notification.
 */
export class BackstageDriftDelivery implements DriftDelivery {
  constructor(
    private readonly notifications: NotificationService,
    private readonly external: ExternalDeliveryConfig,
    private readonly logger: LoggerService,
    private readonly appBaseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async deliver(entry: OutboxEntry): Promise<void> {
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: entry.recipients },
      payload: entry.payload,
    });
    if (!this.external.enabled) return;
    for (const hook of this.external.webhooks) {
      try {
        const res = await this.fetchImpl(hook.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...hook.headers },
          body: JSON.stringify({
            audience: entry.audience,
            recipients: entry.recipients,
            ...entry.payload,
            url: `${this.appBaseUrl}${entry.payload.link}`,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) {
          this.logger.warn(
            `Drift webhook ${new URL(hook.url).host} answered ${res.status}`,
          );
        }
      } catch (error) {
        this.logger.warn(
          `Drift webhook ${new URL(hook.url).host} failed: ${error}`,
        );
      }
    }
  }
}
