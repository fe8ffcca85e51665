import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';
import { PORT_PROTOCOLS } from '../constants';
import { isIpv4Address, parseIpv4Cidr } from '../ip';
import { describeValue } from '../problems';

const catalogNames = makeValidator();

const isBlank = (value: unknown) => value === '' || value === null;

/**
 * An optional field that a form sends as an empty string (or null) when the
 * user leaves it blank: blank means "not given".
 */
export function blankAsUndefined<T extends z.ZodType>(schema: T) {
  return z
    .union([z.literal(''), z.null(), schema])
    .optional()
    .transform(value => (isBlank(value) ? undefined : (value as z.output<T>)));
}

/**
 * `schema` with every optional field wrapped in {@link blankAsUndefined}, for
 * objects a form sends; the JSON Schema still shows each field's own schema.
 */
export function blankFieldsAsUndefined<T extends z.ZodObject>(schema: T) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      field instanceof z.ZodOptional
        ? blankAsUndefined(field.unwrap() as z.ZodType)
        : field,
    ]),
  );
  return z.strictObject(shape) as unknown as z.ZodType<
    z.output<T>,
    Record<string, unknown>
  >;
}

/** A copy of a form's object without its blank ('' or null) fields. */
export function withoutBlankFields(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => !isBlank(field)),
  );
}

/** A required text value that may not be blank. */
export const nonEmptyText = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty; fill it in or remove the field' });

export interface EntityRefFieldOptions {
  /** Kind assumed when the value is a bare name, e.g. `Group` for owners. */
  defaultKind?: string;
  /** Kinds the reference may point at (case-insensitive); any kind when omitted. */
  allowedKinds?: string[];
  /** A valid example shown in the fix hint. */
  example: string;
}

/**
 * Checks that `value` is an entity ref (`[kind:][namespace/]name`) of an
 * allowed kind. Returns a readable problem, or undefined when it is fine.
 */
export function checkEntityRef(
  value: string,
  options: EntityRefFieldOptions,
): string | undefined {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: options.defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    const shape = options.defaultKind
      ? '[kind:][namespace/]name'
      : 'kind:[namespace/]name';
    return `${describeValue(
      value,
    )} is not an entity reference; write ${shape}, e.g. ${options.example}`;
  }
  if (
    !catalogNames.isValidKind(ref.kind) ||
    // Refs compare case-insensitively in the catalog: `Default` names the `default` namespace.
    !catalogNames.isValidNamespace(ref.namespace.toLocaleLowerCase('en-US')) ||
    !catalogNames.isValidEntityName(ref.name)
  ) {
    return `${describeValue(
      value,
    )} is not a valid entity reference (names use letters, digits, -, _ and ., at most 63 characters); fix it, e.g. ${
      options.example
    }`;
  }
  const allowed = options.allowedKinds;
  if (
    allowed &&
    !allowed.some(
      kind =>
        kind.toLocaleLowerCase('en-US') === ref.kind.toLocaleLowerCase('en-US'),
    )
  ) {
    return `${describeValue(value)} points at a ${
      ref.kind
    }; it must name a ${allowed.join(' or ')}, e.g. ${options.example}`;
  }
  return undefined;
}

/** A string field holding an entity reference, checked by {@link checkEntityRef}. */
export function entityRefField(options: EntityRefFieldOptions) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = checkEntityRef(value, options);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem, input: value });
      }
    })
    .describe(describeEntityRefField(options));
}

/**
 * The one entity-ref schema of the API boundaries: a ref written short or full (surrounding
 * spaces ignored), checked by {@link checkEntityRef}, returned canonical
 * (`kind:namespace/name`, lower-case, as the catalog compares refs).
 */
export function canonicalEntityRefSchema(options: EntityRefFieldOptions) {
  return z.string().transform((value, ctx) => {
    const text = value.trim();
    const problem = checkEntityRef(text, options);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem, input: value });
      return z.NEVER;
    }
    return stringifyEntityRef(
      parseEntityRef(text, {
        defaultKind: options.defaultKind,
        defaultNamespace: 'default',
      }),
    );
  });
}

/** The rule of an entity ref field in words, for forms and the entity model page. */
function describeEntityRefField(options: EntityRefFieldOptions): string {
  const target = options.allowedKinds
    ? `a ${options.allowedKinds.join(' or ')}`
    : 'any entity (kind required)';
  const bare = options.defaultKind
    ? `; a bare name means a ${options.defaultKind} in the entity's namespace`
    : '';
  return `entity ref to ${target}${bare}, e.g. ${options.example}`;
}

/** Owner of an entity: a group (default) or a user. */
export const ownerRefField = entityRefField({
  defaultKind: 'Group',
  allowedKinds: ['Group', 'User'],
  example: 'group:default/platform-operators',
});

/** An environment, modelled as a Resource of type environment. */
export const environmentRefField = entityRefField({
  defaultKind: 'Resource',
  allowedKinds: ['Resource'],
  example: 'samakia-prod or resource:default/samakia-prod',
});

export const planeRefField = entityRefField({
  defaultKind: 'Plane',
  allowedKinds: ['Plane'],
  example: 'dns or plane:default/dns',
});

export const componentRefField = entityRefField({
  defaultKind: 'Component',
  allowedKinds: ['Component'],
  example: 'component:default/postgresql',
});

/** A dotted-quad IPv4 address. */
export const ipv4AddressField = z
  .string()
  .superRefine((value, ctx) => {
    if (!isIpv4Address(value)) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `${describeValue(
          value,
        )} is not an IPv4 address; write four dot-separated numbers from 0 to 255, e.g. 10.10.100.1`,
      });
    }
  })
  .describe('IPv4 address, e.g. 10.10.100.1');

/** An IPv4 network in CIDR notation with zero host bits. */
export const ipv4CidrField = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseIpv4Cidr(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', input: value, message: parsed.reason });
    }
  })
  .describe(
    'IPv4 network in CIDR notation, prefix 0-32, host bits zero, e.g. 10.10.100.0/24',
  );

export const portNumberField = z
  .int({
    error: issue =>
      `expected a port number from 1 to 65535, got ${describeValue(
        issue.input,
      )}; use a whole number in that range`,
  })
  .min(1, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a valid port; use a whole number from 1 to 65535`,
  })
  .max(65535, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a valid port; use a whole number from 1 to 65535`,
  });

export const portField = z.strictObject({
  port: portNumberField,
  protocol: z.enum(PORT_PROTOCOLS),
});

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A lower-case DNS label such as a container or Kubernetes namespace name. */
export const dnsLabelField = z
  .string()
  .regex(DNS_LABEL, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a DNS label; use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit`,
  })
  .describe(
    "DNS label: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit",
  );

/** A fully qualified lower-case domain name, e.g. `basicconsulting.no`. */
export const domainNameField = z
  .string()
  .regex(DOMAIN_NAME, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a domain name; write it lower-case without scheme or path, e.g. basicconsulting.no`,
  })
  .describe(
    'lower-case domain name without scheme or path, e.g. basicconsulting.no',
  );

/** `host:port` where host is a domain name or IPv4 address. */
export const endpointField = z
  .string()
  .superRefine((value, ctx) => {
    const separator = value.lastIndexOf(':');
    const host = separator > 0 ? value.slice(0, separator) : '';
    const port = separator > 0 ? value.slice(separator + 1) : '';
    const portNumber = /^[1-9]\d{0,4}$/.test(port) ? Number(port) : NaN;
    const hostOk =
      DOMAIN_NAME.test(host) || DNS_LABEL.test(host) || isIpv4Address(host);
    if (!hostOk || !(portNumber >= 1 && portNumber <= 65535)) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `${describeValue(
          value,
        )} is not an endpoint; write host:port with a port from 1 to 65535, e.g. postgres-birds.infra.samakia.net:5432`,
      });
    }
  })
  .describe(
    'host:port, the host a domain name, DNS label or IPv4 address and the port 1-65535, e.g. postgres-birds.infra.samakia.net:5432',
  );

/** A calendar date written as YYYY-MM-DD. */
export const isoDateField = z
  .string()
  .superRefine((value, ctx) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const valid =
      match !== null &&
      (() => {
        const [year, month, day] = match.slice(1).map(Number);
        const date = new Date(Date.UTC(year, month - 1, day));
        return (
          date.getUTCFullYear() === year &&
          date.getUTCMonth() === month - 1 &&
          date.getUTCDate() === day
        );
      })();
    if (!valid) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `${describeValue(
          value,
        )} is not a calendar date; write it as YYYY-MM-DD in quotes, e.g. '2026-05-12'`,
      });
    }
  })
  .describe("calendar date YYYY-MM-DD, quoted in YAML, e.g. '2026-05-12'");

/** An issue key such as `MC-99911`. */
export const trackingTaskField = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*-\d+$/, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a tracking task key; write the task as PROJECT-NUMBER, e.g. MC-99911`,
  })
  .describe('tracking task key PROJECT-NUMBER, e.g. MC-99911');

/** A shell environment variable name such as `BLUEPRINT_OVERRIDE`. */
export const environmentVariableField = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not an environment variable name; use upper-case letters, digits and '_', e.g. BLUEPRINT_OVERRIDE`,
  })
  .describe(
    "environment variable name: upper-case letters, digits and '_', e.g. BLUEPRINT_OVERRIDE",
  );

/** A sha256 digest: 64 hexadecimal characters. */
export const sha256Field = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, {
    error: issue =>
      `${describeValue(
        issue.input,
      )} is not a sha256 digest; record the 64 hexadecimal characters printed by sha256sum`,
  })
  .describe('sha256 digest: the 64 hexadecimal characters sha256sum prints');

/**
 * Reports every value that occurs more than once in `values`, at the index of
 * the repeat, so a list like `[a, b, a]` points at its third entry.
 */
export function addDuplicateIssues(
  ctx: z.RefinementCtx,
  values: ReadonlyArray<string>,
  path: ReadonlyArray<PropertyKey>,
  describe: (value: string) => string,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index],
        message: describe(value),
      });
    }
    seen.add(value);
  });
}
