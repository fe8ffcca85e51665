import { z } from 'zod';
import { EntityQuery } from '../database/EntityStore';
import { Fact, canonicalRef } from './projection';

// The domain questions: each is a zod schema of its query parameters (unknown parameters are
// refused with a 400 naming them) and the read-model query it becomes.

const lower = (value: string) => value.toLocaleLowerCase('en-US');

const word = (example: string) =>
  z
    .string({ error: `is not text; e.g. ${example}` })
    .trim()
    .min(1, { error: `is empty; e.g. ${example}` })
    .max(255, { error: 'is longer than 255 characters' })
    .transform(lower);

/** A reference; a bare name gets the default kind and namespace. */
const ref = (defaultKind: string, example: string) =>
  word(example).transform((value, ctx) => {
    const canonical = canonicalRef(value, defaultKind);
    if (!canonical) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not an entity reference; e.g. ${example}`,
      });
      return z.NEVER;
    }
    return canonical;
  });

const paging = {
  limit: z.coerce
    .number({ error: 'is not a number; use 1 to 500' })
    .int({ error: 'is not a whole number; use 1 to 500' })
    .min(1, { error: 'is below 1; use 1 to 500' })
    .max(500, { error: 'is above 500; page with cursor instead' })
    .default(100),
  cursor: word('the nextCursor of the previous page').optional(),
};

/** What every question parses to. */
type Parsed = Record<string, string | number | undefined> & {
  limit: number;
  cursor?: string;
};

export interface Question {
  /** Route under the plugin, e.g. `/planes`. */
  path: string;
  /** Human description (docs and the 400 message subject). */
  subject: string;
  schema: z.ZodType<Parsed>;
  toQuery(params: Parsed): Omit<EntityQuery, 'withEntity'>;
}

function factsFrom(params: Parsed, mapping: Record<string, string>): Fact[] {
  return Object.entries(mapping)
    .filter(([param]) => params[param] !== undefined)
    .map(([param, fact]) => ({ fact, value: String(params[param]) }));
}

function question(
  path: string,
  subject: string,
  kind: string,
  shape: Record<string, z.ZodType>,
  facts: Record<string, string>,
): Question {
  return {
    path,
    subject,
    schema: z.strictObject({
      ...shape,
      ...paging,
    }) as unknown as z.ZodType<Parsed>,
    toQuery: params => ({
      kind,
      type: params.type as string | undefined,
      name: params.name as string | undefined,
      namespace:
        params.name !== undefined
          ? (params.namespace as string | undefined) ?? 'default'
          : (params.namespace as string | undefined),
      facts: factsFrom(params, facts),
      after: params.cursor,
      limit: params.limit,
    }),
  };
}

const environment = ref(
  'resource',
  'samakia-prod or resource:default/samakia-prod',
);
const host = word('proxmox2 (a failure domain) or minio-edge-1 (a host)');
const haTier = word('tier-1');
const owner = ref('group', 'group:default/team-birds');

export const QUESTIONS: Question[] = [
  question(
    '/planes',
    'The planes query',
    'plane',
    {
      vlan: z.coerce
        .number({ error: 'is not a VLAN id; use 1 to 4094, e.g. 140' })
        .int({ error: 'is not a whole number; use 1 to 4094, e.g. 140' })
        .min(1, { error: 'is below 1; use 1 to 4094' })
        .max(4094, { error: 'is above 4094; use 1 to 4094' })
        .optional(),
      type: word('network, business or layer').optional(),
      environment: environment.optional(),
      host: host.optional(),
      haTier: haTier.optional(),
      owner: owner.optional(),
    },
    {
      vlan: 'vlan',
      environment: 'environment',
      host: 'host',
      haTier: 'hatier',
      owner: 'owner',
    },
  ),
  question(
    '/services',
    'The services query',
    'component',
    {
      type: word('service or website').optional(),
      name: word('minio').optional(),
      namespace: word('default').optional(),
      plane: ref('plane', 'minio or plane:default/minio').optional(),
      host: host.optional(),
      environment: environment.optional(),
      haTier: haTier.optional(),
      owner: owner.optional(),
    },
    {
      plane: 'plane',
      host: 'host',
      environment: 'environment',
      haTier: 'hatier',
      owner: 'owner',
    },
  ),
  question(
    '/tenants',
    'The tenants query',
    'tenant',
    {
      consumes: word(
        'postgres (a provider) or component:default/postgresql (a service)',
      )
        .transform(value =>
          value.includes(':')
            ? canonicalRef(value, 'component') ?? value
            : value,
        )
        .optional(),
      environment: environment.optional(),
      owner: owner.optional(),
    },
    { consumes: 'consumes', environment: 'environment', owner: 'owner' },
  ),
  question(
    '/rules',
    'The rules query',
    'zakonrule',
    {
      governs: ref(
        'component',
        'alai-home-web or component:default/alai-home-web',
      ).optional(),
      status: word('active').optional(),
      owner: owner.optional(),
    },
    { governs: 'governs', status: 'status', owner: 'owner' },
  ),
];
