import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { JsonValue, durationToMilliseconds } from '@backstage/types';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DRIFT_VERDICTS,
  DriftVerdict,
  driftEnvironmentSchema,
} from '@internal/plugin-drift-common';
import {
  fabricErrorMap,
  formatConfigError,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { validateWindow } from '@internal/plugin-fabric-node';
import { Schedule } from './service/windows';

const DAY = 24 * 60 * 60 * 1000;

/** The `drift` block of the app config, checked at start-up (see config.d.ts). */
export interface DriftConfig {
  retention: { maxAgeMs: number; frequencyMs: number };
  terraformVerdicts: {
    modified: DriftVerdict;
    missing: DriftVerdict;
    unmanaged: DriftVerdict;
  };
  /** How Terraform values are compared (drift.terraform.nullEqualsEmpty). */
  terraformMapping: { nullEqualsEmpty: boolean };
  runbooks: {
    default?: string;
    byResourceType: Record<string, string>;
    byProvider: Record<string, string>;
  };
  notifications: {
    enabled: boolean;
    warnAfterRuns: number;
    recipients: string[];
    /**
     * The explicit tenant allowlist with provider filters (seed 000 Phase 11 Part 5): a tenant's
     * drift is signalled only when its tenant ref is listed, and only for the listed providers.
     */
    tenants: Array<{ tenant: string; providers: string[] }>;
    quietHours: Schedule[];
    maintenanceWindows: Schedule[];
    external: {
      enabled: boolean;
      webhooks: Array<{ url: string; headers: Record<string, string> }>;
    };
  };
}

const duration = z.union([z.string(), z.record(z.string(), z.number())]);

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const hhmm = z.string().regex(HHMM, {
  message: 'must be a time of day as HH:MM, e.g. 22:00',
});

const environments = z.array(driftEnvironmentSchema).optional();

const timeZone = z
  .string()
  .default('UTC')
  .refine(
    tz => {
      try {
        // eslint-disable-next-line no-new
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Europe/Belgrade or UTC' },
  );

const groupRef = z.string().transform((value, ctx) => {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return stringifyEntityRef(ref);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(
        value,
      )} is not an entity ref; write group:default/platform-operators`,
    });
    return z.NEVER;
  }
});

const verdict = z.enum(DRIFT_VERDICTS);

const WILDCARD = /[*?]/;
const noWildcard = (what: string, example: string) =>
  z
    .string()
    .min(1)
    .refine(value => !WILDCARD.test(value), {
      message: `wildcards are not allowed; drift alerts go only to an explicit allowlist, so name each ${what}, e.g. ${example}`,
    });

const tenantRoute = z.strictObject({
  tenant: noWildcard('tenant', 'tenant:default/project-birds').transform(
    (value, ctx) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: 'tenant',
            defaultNamespace: 'default',
          }),
        ).toLocaleLowerCase('en-US');
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(
            value,
          )} is not a tenant ref; write tenant:default/project-birds`,
        });
        return z.NEVER;
      }
    },
  ),
  providers: z.array(noWildcard('provider', 'postgres')).min(1, {
    message:
      'is empty; list the providers whose drift this tenant is told about, e.g. [postgres]',
  }),
});

const driftConfigSchema = z.strictObject({
  retention: z
    .strictObject({
      maxAge: duration.optional(),
      frequency: duration.optional(),
    })
    .optional(),
  terraform: z
    .strictObject({
      verdicts: z
        .strictObject({
          modified: verdict.optional(),
          missing: verdict.optional(),
          unmanaged: verdict.optional(),
        })
        .optional(),
      nullEqualsEmpty: z.boolean().optional(),
    })
    .optional(),
  runbooks: z
    .strictObject({
      default: z.string().optional(),
      byResourceType: z.record(z.string(), z.string()).optional(),
      byProvider: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  notifications: z
    .strictObject({
      enabled: z.boolean().optional(),
      warnAfterRuns: z.number().int().min(1).max(1000).optional(),
      recipients: z.array(groupRef).optional(),
      tenants: z.array(tenantRoute).optional(),
      quietHours: z
        .array(
          z.strictObject({
            start: hhmm,
            end: hhmm,
            timeZone,
            environments,
          }),
        )
        .optional(),
      maintenanceWindows: z
        .array(
          z.strictObject({
            name: z.string().optional(),
            cron: z.string(),
            duration,
            timeZone,
            environments,
          }),
        )
        .optional(),
      external: z
        .strictObject({
          enabled: z.boolean().optional(),
          webhooks: z
            .array(
              z.strictObject({
                url: z.url({
                  protocol: /^https?$/,
                  message: 'must be an http(s) URL',
                }),
                headers: z.record(z.string(), z.string()).optional(),
              }),
            )
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

function toMs(value: unknown, key: string): number {
  return durationToMilliseconds(
    readDurationFromConfig(new ConfigReader({ [key]: value as JsonValue }), {
      key,
    }),
  );
}

/** Quiet hours as a daily schedule: starts at `start`, lasts until `end` (next day when earlier). */
function quietHoursSchedule(q: {
  start: string;
  end: string;
  timeZone: string;
  environments?: string[];
}): Schedule {
  const [sh, sm] = q.start.split(':').map(Number);
  const [eh, em] = q.end.split(':').map(Number);
  const minutes = (eh * 60 + em - (sh * 60 + sm) + 24 * 60) % (24 * 60);
  if (minutes === 0) {
    throw new Error(
      `drift.notifications.quietHours: start and end are both ${q.start}; give a span, e.g. start 22:00 end 07:00`,
    );
  }
  return {
    name: `quiet hours ${q.start}-${q.end}`,
    cron: `${sm} ${sh} * * *`,
    durationMs: minutes * 60_000,
    timeZone: q.timeZone,
    environments: q.environments,
  };
}

/** Builds the configuration from plain values (tests) or the app config. */
export function createDriftConfig(raw: unknown = {}): DriftConfig {
  const result = driftConfigSchema.safeParse(raw ?? {}, {
    error: fabricErrorMap,
  });
  if (!result.success) {
    throw new Error(formatConfigError('drift', result.error));
  }
  const c = result.data;
  const n = c.notifications ?? {};
  const maintenanceWindows = (n.maintenanceWindows ?? []).map((w, i) => ({
    name: w.name ?? `maintenance window ${i + 1}`,
    cron: w.cron,
    durationMs: toMs(w.duration, 'duration'),
    timeZone: w.timeZone,
    environments: w.environments,
  }));
  const quietHours = (n.quietHours ?? []).map(quietHoursSchedule);
  maintenanceWindows.forEach((w, i) =>
    validateWindow(
      w,
      `drift.notifications.maintenanceWindows[${i}]`,
      '0 2 * * 6',
    ),
  );
  quietHours.forEach((q, i) =>
    validateWindow(q, `drift.notifications.quietHours[${i}]`, '0 22 * * *'),
  );
  return {
    retention: {
      maxAgeMs:
        c.retention?.maxAge !== undefined
          ? toMs(c.retention.maxAge, 'maxAge')
          : 90 * DAY,
      frequencyMs:
        c.retention?.frequency !== undefined
          ? toMs(c.retention.frequency, 'frequency')
          : 60 * 60 * 1000,
    },
    terraformVerdicts: {
      modified: c.terraform?.verdicts?.modified ?? 'WARN',
      missing: c.terraform?.verdicts?.missing ?? 'FAIL',
      unmanaged: c.terraform?.verdicts?.unmanaged ?? 'WARN',
    },
    terraformMapping: {
      nullEqualsEmpty: c.terraform?.nullEqualsEmpty ?? true,
    },
    runbooks: {
      default: c.runbooks?.default,
      byResourceType: c.runbooks?.byResourceType ?? {},
      byProvider: c.runbooks?.byProvider ?? {},
    },
    notifications: {
      // Every sink is off unless enabled (seed 000 Phase 11 Part 5).
      enabled: n.enabled ?? false,
      warnAfterRuns: n.warnAfterRuns ?? 3,
      recipients: n.recipients ?? [],
      tenants: n.tenants ?? [],
      quietHours,
      maintenanceWindows,
      external: {
        enabled: n.external?.enabled ?? false,
        webhooks: (n.external?.webhooks ?? []).map(w => ({
          url: w.url,
          headers: w.headers ?? {},
        })),
      },
    },
  };
}

/** Reads the `drift` block of the app config. */
export function readDriftConfig(config: Config): DriftConfig {
  return createDriftConfig(config.getOptional('drift'));
}
