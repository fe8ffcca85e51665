import { parseEntityRef } from '@backstage/catalog-model';
import {
  canonicalEntityRefSchema,
  jsonValueProblem,
  visibleNameField,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { DRIFT_CLASSES, DRIFT_VERDICTS } from './taxonomy';

/** Upper bounds that keep one run storable and one page readable. */
export const DRIFT_LIMITS = {
  findingsPerRun: 5000,
  /** Characters of the JSON of one declared or observed value. */
  valueJsonChars: 32_768,
  messageChars: 2000,
  resourceChars: 512,
} as const;

export const driftTenantRefSchema = canonicalEntityRefSchema({
  defaultKind: 'Tenant',
  allowedKinds: ['Tenant'],
  example: 'project-birds or tenant:default/project-birds',
});

/** The entity whose Drift tab shows a run: a tenant, a service (component) or a plane. */
export const driftEntityRefSchema = canonicalEntityRefSchema({
  allowedKinds: ['Tenant', 'Component', 'Plane', 'Resource', 'System'],
  example: 'component:default/postgresql or plane:minio',
});

const ENVIRONMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** An environment name (`samakia-prod`), or its catalog ref (`resource:default/samakia-prod`). */
export const driftEnvironmentSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    let name = value;
    if (value.includes(':') || value.includes('/')) {
      try {
        name = parseEntityRef(value, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }).name;
      } catch {
        name = '';
      }
    }
    if (!ENVIRONMENT.test(name)) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(
          value,
        )} is not an environment; give its name, e.g. samakia-prod`,
      });
      return z.NEVER;
    }
    return name;
  });

export const driftSourceSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/, {
    message:
      'must name what produced the run, e.g. ci/drift-nightly or terraform/minio-prod (letters, digits, . _ : / @ + -, no spaces, at most 128 characters)',
  });

export const driftProviderSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
    message:
      'must be a lower-case provider name such as postgres, minio or proxmox',
  });

const resourceTypeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/, {
    message:
      'must be a resource type such as proxmox_virtual_environment_vm or postgres_database, without spaces',
  });

/**
 * Any JSON value, small enough to store and show side by side. The depth and the numbers are
 * checked first, without recursion, so the size is only measured on plain, bounded JSON
 * (JSON.stringify itself overflows on a 20,000-level value).
 */
const driftValueSchema = z.unknown().superRefine((value, ctx) => {
  const problem = jsonValueProblem(value);
  if (problem) {
    ctx.addIssue({
      code: 'custom',
      message: problem.path
        ? `${problem.path} ${problem.message}`
        : problem.message,
    });
    return;
  }
  const size = JSON.stringify(value ?? null).length;
  if (size > DRIFT_LIMITS.valueJsonChars) {
    ctx.addIssue({
      code: 'custom',
      message: `is ${size} characters of JSON; keep it under ${DRIFT_LIMITS.valueJsonChars} by sending only the attributes that differ`,
    });
  }
});

/** One declared-versus-observed comparison. */
export const driftFindingSchema = z
  .strictObject({
    provider: driftProviderSchema,
    resource: visibleNameField(
      z
        .string()
        .trim()
        .min(1)
        .max(DRIFT_LIMITS.resourceChars, {
          message: `must be at most ${DRIFT_LIMITS.resourceChars} characters`,
        }),
    ),
    resourceType: resourceTypeSchema.optional(),
    class: z.enum(DRIFT_CLASSES).optional(),
    verdict: z.enum(DRIFT_VERDICTS),
    declared: driftValueSchema.optional(),
    observed: driftValueSchema.optional(),
    message: z
      .string()
      .trim()
      .max(DRIFT_LIMITS.messageChars, {
        message: `must be at most ${DRIFT_LIMITS.messageChars} characters`,
      })
      .optional(),
  })
  .superRefine((finding, ctx) => {
    if (finding.verdict !== 'PASS' && !finding.class) {
      ctx.addIssue({
        code: 'custom',
        path: ['class'],
        message: `is missing; a ${
          finding.verdict
        } finding names its taxonomy class, one of: ${DRIFT_CLASSES.filter(
          c => c !== 'in-sync',
        ).join(', ')}`,
      });
    }
    if (finding.verdict !== 'PASS' && finding.class === 'in-sync') {
      ctx.addIssue({
        code: 'custom',
        path: ['class'],
        message: `in-sync cannot be ${finding.verdict}; use PASS or the class of the difference`,
      });
    }
  })
  .transform(finding => ({
    ...finding,
    class: finding.class ?? ('in-sync' as const),
  }));

export type DriftFindingInput = z.input<typeof driftFindingSchema>;
export type DriftFindingSubmission = z.output<typeof driftFindingSchema>;

/** Where a run belongs: shared by the JSON run and the Terraform parameters. */
const runTargetShape = {
  source: driftSourceSchema,
  environment: driftEnvironmentSchema,
  /** The tenant whose drift this is; tenant members see only their tenants' runs. */
  tenant: driftTenantRefSchema.optional(),
  /** The entity whose Drift tab shows the run; defaults to the tenant. */
  entity: driftEntityRefSchema.optional(),
  /** When the state was observed (ISO 8601); defaults to when the run arrives. */
  observedAt: z.iso
    .datetime({
      offset: true,
      message: 'must be an ISO 8601 time such as 2026-11-24T06:00:00Z',
    })
    .optional(),
  /** Link to the CI job or log that produced the run. */
  runUrl: z
    .url({
      protocol: /^https?$/,
      message: 'must be an http(s) link to the CI job',
    })
    .max(2000)
    .optional(),
};

type RunTarget = {
  tenant?: string;
  entity?: string;
};

/** Tenant or entity must be given; a tenant entity is its own tenant. */
function refineTarget(target: RunTarget, ctx: z.RefinementCtx) {
  if (!target.tenant && !target.entity) {
    ctx.addIssue({
      code: 'custom',
      path: ['tenant'],
      message:
        'is missing; name the tenant (project-birds) or the entity (component:default/postgresql) the run is about',
    });
  }
  if (
    target.tenant &&
    target.entity?.startsWith('tenant:') &&
    target.entity !== target.tenant
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['entity'],
      message: `is the tenant ${target.entity} but tenant says ${target.tenant}; give one of them or make them agree`,
    });
  }
}

function normaliseTarget<T extends RunTarget>(
  target: T,
): T & { entity: string } {
  const entity = target.entity ?? target.tenant!;
  const tenant =
    target.tenant ?? (entity.startsWith('tenant:') ? entity : undefined);
  return { ...target, tenant, entity };
}

/** What CI posts to `POST /runs`: one snapshot of declared vs observed state. */
export const driftRunSubmissionSchema = z
  .strictObject({
    ...runTargetShape,
    findings: z.array(driftFindingSchema).max(DRIFT_LIMITS.findingsPerRun, {
      message: `has more than ${DRIFT_LIMITS.findingsPerRun} findings; split the run by provider or entity`,
    }),
    /**
     * Providers the run checked. A provider listed here without findings
     * counts as PASS; providers of the findings are added automatically.
     */
    providers: z.array(driftProviderSchema).max(200).optional(),
  })
  .superRefine((run, ctx) => {
    refineTarget(run, ctx);
    const seen = new Map<string, number>();
    run.findings.forEach((finding, index) => {
      const key = `${finding.provider}\u0000${finding.resource}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['findings', index, 'resource'],
          message: `repeats ${finding.provider} ${finding.resource} of findings[${first}]; report each provider/resource once per run`,
        });
      } else {
        seen.set(key, index);
      }
    });
  })
  .transform(normaliseTarget);

export type DriftRunSubmissionInput = z.input<typeof driftRunSubmissionSchema>;
export type DriftRunSubmission = z.output<typeof driftRunSubmissionSchema>;

/**
 * Where a Terraform plan belongs, from the query string or `X-Drift-*`
 * headers of `POST /runs/terraform` (the body is Terraform's own document).
 */
export const terraformRunParamsSchema = z
  .strictObject({
    ...runTargetShape,
    source: driftSourceSchema.default('terraform'),
  })
  .superRefine(refineTarget)
  .transform(normaliseTarget);

export type TerraformRunParams = z.output<typeof terraformRunParamsSchema>;

/** Filters shared by the read endpoints; without tenant or entity: everything the caller may read. */
const readFilterShape = {
  tenant: driftTenantRefSchema.optional(),
  entity: driftEntityRefSchema.optional(),
  environment: driftEnvironmentSchema.optional(),
};

export const driftCurrentQuerySchema = z.strictObject(readFilterShape);

export const driftHistoryQuerySchema = z.strictObject({
  ...readFilterShape,
  source: driftSourceSchema.optional(),
  /** Oldest run to include (ISO 8601); default 30 days back. */
  since: z.iso
    .datetime({
      offset: true,
      message: 'must be an ISO 8601 time such as 2026-11-01T00:00:00Z',
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export type DriftCurrentQuery = z.output<typeof driftCurrentQuerySchema>;
export type DriftHistoryQuery = z.output<typeof driftHistoryQuerySchema>;
export type DriftHistoryQueryInput = z.input<typeof driftHistoryQuerySchema>;
