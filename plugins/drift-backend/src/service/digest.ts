import { OutboxEntry, OutboxPayload } from '../database/NotificationStore';
import { driftTabLink } from './notifier';

/**
 * One digest per subject (the tenant, or the entity of a run without a tenant), audience and
 * UTC day. Every digest goes out under one notification scope, so the portal keeps a single
 * notification per digest and updates it with each run of the day instead of adding one per run.
 */
export function digestKeyOf(
  dueAt: string,
  audience: OutboxEntry['audience'],
  subject: string,
): string {
  return `${dueAt.slice(0, 10)}|${audience}|${subject}`;
}

function partsOf(digestKey: string) {
  const [day, audience, ...rest] = digestKey.split('|');
  return { day, audience, subject: rest.join('|') };
}

const SEVERITY: OutboxPayload['severity'][] = [
  'low',
  'normal',
  'high',
  'critical',
];

/**
 * The payload a digest goes out with: the run's own wording when it is the day's only one,
 * otherwise a count with the day's runs listed newest first. Either links to the subject.
 */
export function digestPayload(
  digestKey: string,
  entries: OutboxEntry[],
): OutboxPayload {
  const { day, subject } = partsOf(digestKey);
  const latest = entries[entries.length - 1];
  const base = {
    link: driftTabLink(subject),
    topic: latest.payload.topic,
    scope: `drift:digest:${digestKey}`,
  };
  if (entries.length === 1) return { ...latest.payload, ...base };
  const severity = entries
    .map(e => e.payload.severity)
    .reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a));
  const shown = [...entries].reverse().slice(0, 10);
  const more = entries.length - shown.length;
  const lines = shown.map(
    e => `${e.createdAt.slice(11, 16)} UTC ${e.payload.title}`,
  );
  return {
    ...base,
    title: `${entries.length} drift reports on ${day} (latest: ${latest.payload.title})`,
    description: `${lines.join('; ')}${
      more > 0 ? `; and ${more} earlier` : ''
    }. Nothing was changed; open the Drift tab for the current state.`,
    severity,
  };
}
