import { Config, readDurationFromConfig } from '@backstage/config';
import { TenantQuotas } from '@internal/plugin-fabric-common';
import { durationToMilliseconds } from '@backstage/types';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentRules,
  PACKET_KINDS,
} from '@internal/plugin-approvals-common';
import { validateSchedule } from './changeWindows';

export type { EnvironmentRules };

export interface ApprovalsRules {
  /** Rules for an environment ref or name. */
  forEnvironment(environment: string): EnvironmentRules;
  /** The environments named in the configuration. */
  environments: string[];
  /** How long a review claim lasts. */
  claimTtlMs: number;
  /** How long an open proposal may wait for a decision before it expires. */
  reviewTtlMs: number;
  /** Upper bounds for requested quotas; a missing key is unbounded. */
  quotaMaxima: Partial<TenantQuotas>;
  /** How long after apply a verify (or rollback) may take before it is overdue. */
  verifyWithinMs: number;
  /** Evidence packets older than this many days do not count at the gate. */
  evidenceMaxAgeDays: number;
}

const HOUR = 60 * 60 * 1000;
const PRODUCTION_NAME = /(^|[-_.])prod(uction)?$/i;

export interface ApprovalsRulesOptions {
  claimTtlMs?: number;
  reviewTtlMs?: number;
  quotaMaxima?: Partial<TenantQuotas>;
  verifyWithinMs?: number;
  evidenceMaxAgeDays?: number;
  environments?: Record<string, Partial<EnvironmentRules>>;
}

function environmentName(environment: string): string {
  try {
    return parseEntityRef(environment, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    }).name;
  } catch {
    return environment;
  }
}

/**
 * A production environment needs a change window and signed approvals (seed 000:569): one
 * configured without an allow window, with `requireSignature: false` or with fewer than two
 * approvals is a configuration error, so the backend does not start with it. (A production
 * environment that is not configured at all gets signed approvals by default and no window;
 * the gate refuses to apply into it, see gatePolicy.)
 */
function assertProductionDefaults(
  name: string,
  env: Partial<EnvironmentRules>,
): void {
  if (!(env.production ?? PRODUCTION_NAME.test(name))) return;
  const key = `approvals.environments.${name}`;
  if (env.requireSignature === false) {
    throw new Error(
      `${key}.requireSignature: a production environment needs signed approvals; remove the key or set it to true`,
    );
  }
  if (env.requiredApprovals !== undefined && env.requiredApprovals < 2) {
    throw new Error(
      `${key}.requiredApprovals: a production environment needs at least 2 approvals, got ${env.requiredApprovals}`,
    );
  }
  if (!(env.changeWindows ?? []).some(w => w.kind === 'allow')) {
    throw new Error(
      `${key}.changeWindows: a production environment needs at least one allow window, e.g. { name: weekday-changes, kind: allow, cron: '0 9 * * 1-4', duration: { hours: 6 }, timeZone: UTC }`,
    );
  }
}

/**
 * `promotionPacketKinds` names kinds the gate knows (a typo would otherwise block every
 * promotion into the environment with a reason nobody can satisfy).
 */
function assertPacketKinds(name: string, kinds: readonly string[]): void {
  kinds.forEach((kind, i) => {
    if (!(PACKET_KINDS as readonly string[]).includes(kind)) {
      throw new Error(
        `approvals.environments.${name}.promotionPacketKinds[${i}]: unknown packet kind '${kind}'; use one of ${PACKET_KINDS.join(
          ', ',
        )}`,
      );
    }
  });
}

/**
 * Builds the rules. An environment without configuration counts as production
 * when its name ends in `prod`/`production`; production needs two signed
 * approvals, anything else one unsigned approval; approvals last 72 hours.
 */
export function createApprovalsRules(
  options: ApprovalsRulesOptions = {},
): ApprovalsRules {
  const environments = options.environments ?? {};
  for (const [name, env] of Object.entries(environments)) {
    (env.changeWindows ?? []).forEach((schedule, i) =>
      validateSchedule(
        schedule,
        `approvals.environments.${name}.changeWindows[${i}]`,
      ),
    );
    assertProductionDefaults(name, env);
    assertPacketKinds(name, env.promotionPacketKinds ?? []);
  }
  return {
    claimTtlMs: options.claimTtlMs ?? HOUR / 2,
    reviewTtlMs: options.reviewTtlMs ?? 14 * 24 * HOUR,
    quotaMaxima: options.quotaMaxima ?? {},
    verifyWithinMs: options.verifyWithinMs ?? HOUR,
    evidenceMaxAgeDays: options.evidenceMaxAgeDays ?? 14,
    environments: Object.keys(environments),
    forEnvironment(environment) {
      const name = environmentName(environment);
      const configured = environments[name] ?? {};
      const production = configured.production ?? PRODUCTION_NAME.test(name);
      return {
        production,
        requiredApprovals: configured.requiredApprovals ?? (production ? 2 : 1),
        approvalTtlMs: configured.approvalTtlMs ?? 72 * HOUR,
        requireSignature: configured.requireSignature ?? production,
        changeWindows: configured.changeWindows ?? [],
        promotionPacketKinds: [
          ...new Set(configured.promotionPacketKinds ?? []),
        ],
      };
    },
  };
}

const QUOTA_KEYS: Array<keyof TenantQuotas> = [
  'cpuCores',
  'memoryGiB',
  'storageGiB',
  'maxDatabases',
  'maxConnections',
];

function readKind(window: Config, key: string): 'allow' | 'deny' {
  const kind = window.getString('kind');
  if (kind !== 'allow' && kind !== 'deny') {
    throw new Error(`${key}.kind: must be allow or deny, got '${kind}'`);
  }
  return kind;
}

/** Reads the `approvals` block of the app config (see config.d.ts). */
export function readApprovalsRules(config: Config): ApprovalsRules {
  const root = config.getOptionalConfig('approvals');
  const duration = (c: Config | undefined, key: string) =>
    c?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(c, { key }))
      : undefined;
  const quotaMaxima: Partial<TenantQuotas> = {};
  const maxima = root?.getOptionalConfig('quotaMaxima');
  for (const key of QUOTA_KEYS) {
    const value = maxima?.getOptionalNumber(key);
    if (value !== undefined) quotaMaxima[key] = value;
  }
  const environments: Record<string, Partial<EnvironmentRules>> = {};
  const envs = root?.getOptionalConfig('environments');
  for (const name of envs?.keys() ?? []) {
    const env = envs!.getConfig(name);
    environments[name] = {
      production: env.getOptionalBoolean('production'),
      requiredApprovals: env.getOptionalNumber('requiredApprovals'),
      approvalTtlMs: duration(env, 'approvalTtl'),
      requireSignature: env.getOptionalBoolean('requireSignature'),
      changeWindows: env
        .getOptionalConfigArray('changeWindows')
        ?.map((w, i) => ({
          name: w.getOptionalString('name'),
          kind: readKind(
            w,
            `approvals.environments.${name}.changeWindows[${i}]`,
          ),
          cron: w.getString('cron'),
          durationMs: durationToMilliseconds(
            readDurationFromConfig(w, { key: 'duration' }),
          ),
          timeZone: w.getOptionalString('timeZone') ?? 'UTC',
        })),
      promotionPacketKinds: env.getOptionalStringArray('promotionPacketKinds'),
    };
    for (const [key, value] of Object.entries(environments[name])) {
      if (value === undefined) {
        delete environments[name][key as keyof EnvironmentRules];
      }
    }
  }
  return createApprovalsRules({
    claimTtlMs: duration(root, 'claimTtl'),
    reviewTtlMs: duration(root, 'reviewTtl'),
    verifyWithinMs: duration(root, 'verifyWithin'),
    evidenceMaxAgeDays: root?.getOptionalNumber('evidenceMaxAgeDays'),
    quotaMaxima,
    environments,
  });
}
