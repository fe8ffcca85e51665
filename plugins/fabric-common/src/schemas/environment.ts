import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  ENVIRONMENT_LADDERS,
  ENVIRONMENT_RESOURCE_TYPE,
  PARITY_LADDERS,
  PARITY_MAY_DIFFER,
  PARITY_MUST_MATCH,
} from '../constants';
import { tryCanonicalFabricRef } from '../refs';
import {
  addDuplicateIssues,
  environmentRefField,
  nonEmptyText,
  ownerRefField,
} from './fields';

/**
 * What must be identical on every rung of a parity ladder and what may differ
 * (seed 004, "Environment ladder and parity contracts").
 */
export const parityContractSchema = z
  .strictObject({
    mustMatch: z.array(z.enum(PARITY_MUST_MATCH)),
    mayDiffer: z.array(z.enum(PARITY_MAY_DIFFER)),
  })
  .superRefine((parity, ctx) => {
    for (const item of PARITY_MUST_MATCH) {
      if (!parity.mustMatch.includes(item)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mustMatch'],
          message: `misses '${item}'; the parity contract keeps ${PARITY_MUST_MATCH.join(
            ', ',
          )} identical on every rung, so add it back (only ${PARITY_MAY_DIFFER.join(
            ', ',
          )} may differ)`,
        });
      }
    }
    addDuplicateIssues(
      ctx,
      parity.mustMatch,
      ['mustMatch'],
      item => `'${item}' is listed twice; list it once`,
    );
    addDuplicateIssues(
      ctx,
      parity.mayDiffer,
      ['mayDiffer'],
      item => `'${item}' is listed twice; list it once`,
    );
  });

export const environmentSpecSchema = z
  .looseObject({
    type: z.literal(ENVIRONMENT_RESOURCE_TYPE),
    owner: ownerRefField,
    lifecycle: nonEmptyText,
    ladder: z
      .enum(ENVIRONMENT_LADDERS)
      .describe('the system whose ladder this rung belongs to'),
    rung: z
      .int()
      .min(0)
      .max(20)
      .describe('position on the ladder, 0 first; infra environments use 0'),
    next: environmentRefField
      .optional()
      .describe('the rung a promotion from here goes to; absent on the top'),
    promotion: nonEmptyText
      .optional()
      .describe(
        'the condition for promoting INTO this rung, as the seed states it',
      ),
    planned: z
      .boolean()
      .optional()
      .describe('true when the seed lists the rung as future'),
    parity: parityContractSchema
      .optional()
      .describe(
        'required on the run-operate ladder, refused elsewhere: mustMatch lists every item, mayDiffer only allowed ones',
      ),
  })
  .superRefine((spec, ctx) => {
    if (PARITY_LADDERS.includes(spec.ladder as any) && !spec.parity) {
      ctx.addIssue({
        code: 'custom',
        path: ['parity'],
        message: `is missing; every rung of the ${
          spec.ladder
        } ladder carries the parity contract (mustMatch: ${PARITY_MUST_MATCH.join(
          ', ',
        )}; mayDiffer: a subset of ${PARITY_MAY_DIFFER.join(', ')})`,
      });
    }
    if (!PARITY_LADDERS.includes(spec.ladder as any) && spec.parity) {
      ctx.addIssue({
        code: 'custom',
        path: ['parity'],
        message: `only the ${PARITY_LADDERS.join(
          ', ',
        )} ladder has a parity contract in the seeds; remove it from this ${
          spec.ladder
        } rung`,
      });
    }
  });

export const environmentEntitySchema = z
  .looseObject({
    apiVersion: z.string(),
    kind: z.literal('Resource'),
    metadata: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
    }),
    spec: environmentSpecSchema,
  })
  .superRefine((entity, ctx) => {
    const self = tryCanonicalFabricRef(
      entity.metadata.name,
      'Resource',
      entity,
    );
    const next = entity.spec.next
      ? tryCanonicalFabricRef(entity.spec.next, 'Resource', entity)
      : undefined;
    if (self && next === self) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'next'],
        message: `${entity.spec.next} is this environment itself; point next at the rung above or remove it`,
      });
    }
  });

export type ParityContract = z.infer<typeof parityContractSchema>;
type InferredEnvironmentSpec = z.infer<typeof environmentSpecSchema>;
/** The checked fields of an environment's spec (other Resource fields pass through). */
export type EnvironmentSpec = {
  [K in keyof InferredEnvironmentSpec as string extends K
    ? never
    : K]: InferredEnvironmentSpec[K];
};
export type EnvironmentLadder = (typeof ENVIRONMENT_LADDERS)[number];

/** A Resource of type environment whose spec passed {@link environmentSpecSchema}. */
export interface EnvironmentEntity extends Entity {
  kind: 'Resource';
  spec: EnvironmentSpec;
}
