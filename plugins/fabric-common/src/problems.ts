import { z } from 'zod';

/**
 * One thing wrong with an entity: where it is and what to do about it.
 * `message` always ends with how to fix the problem.
 */
export interface FabricProblem {
  /** Field path such as `spec.network.lanVips[0].address`; empty for the whole entity. */
  path: string;
  message: string;
}

/** Outcome of parsing untrusted input against one of the Fabric schemas. */
export type FabricParseResult<T> =
  | { success: true; data: T }
  | {
      success: false;
      problems: FabricProblem[];
      /** All problems in one readable text, one line per problem. */
      message: string;
    };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders `['spec', 'lanVips', 0, 'address']` as `spec.lanVips[0].address`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else if (typeof segment === 'string' && IDENTIFIER.test(segment)) {
      text += text ? `.${segment}` : segment;
    } else {
      // Annotation keys contain dots and slashes, so quote them.
      text += `[${JSON.stringify(String(segment))}]`;
    }
  }
  return text;
}

/** Short rendering of an input value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    // Long input is cut short: a message names the problem, it does not echo the input back.
    return JSON.stringify(
      value.length > 80
        ? `${value.slice(0, 60)}… (${value.length} characters)`
        : value,
    );
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'a text value',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object (a YAML mapping)',
};

/**
 * Turns zod's generic issues into sentences that say how to fix the input.
 * Field-specific messages given in the schemas take precedence over this map.
 */
export const fabricErrorMap: z.core.$ZodErrorMap = issue => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      if (issue.input === undefined) {
        return `is missing; add it (expected ${expected})`;
      }
      return `expected ${expected}, got ${describeValue(
        issue.input,
      )}; change it to ${expected}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map(v => String(v)).join(', ');
      if (issue.values.length === 1) {
        return `${describeValue(
          issue.input,
        )} is not allowed here; it must be ${allowed}`;
      }
      return `${describeValue(
        issue.input,
      )} is not allowed; use one of: ${allowed}`;
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map(k => `'${k}'`).join(', ');
      return `unknown field${
        issue.keys.length > 1 ? 's' : ''
      } ${keys}; remove ${
        issue.keys.length > 1 ? 'them' : 'it'
      } or fix the spelling`;
    }
    case 'too_small': {
      if (issue.origin === 'array') {
        return `needs at least ${issue.minimum} entr${
          Number(issue.minimum) === 1 ? 'y' : 'ies'
        }; add ${Number(issue.minimum) === 1 ? 'one' : 'more'}`;
      }
      if (issue.origin === 'string') {
        return 'must not be empty; fill it in or remove the field';
      }
      return `${describeValue(issue.input)} is below the minimum ${
        issue.minimum
      }; use a value of at least ${issue.minimum}`;
    }
    case 'too_big':
      return `${describeValue(issue.input)} is above the maximum ${
        issue.maximum
      }; use a value of at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

/** Converts a zod error into Fabric problems. */
export function problemsFromZodError(error: z.ZodError): FabricProblem[] {
  return error.issues.map(issue => ({
    path: formatFieldPath(issue.path),
    message: issue.message,
  }));
}

/** One problem as `<field>: <problem>; <fix>` (the message alone for the whole input). */
export function formatProblem(p: FabricProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** One line per problem: `- spec.vlan: is missing; add it ...`. */
export function formatProblems(problems: ReadonlyArray<FabricProblem>): string {
  return problems.map(p => `- ${formatProblem(p)}`).join('\n');
}

/**
 * A zod error in one line, its problems joined by `; `, for texts that hold a single line
 * (a verification reason, a service error): `files[0].sha256: expected a text value, …`.
 */
export function formatZodError(error: z.ZodError): string {
  return problemsFromZodError(error).map(formatProblem).join('; ');
}

/**
 * Parses `input` with `schema`, returning either the data or readable problems
 * headed by `subject` (e.g. `Plane plane:default/dns`).
 */
export function parseWithProblems<T>(
  schema: z.ZodType<T>,
  input: unknown,
  subject: string,
): FabricParseResult<T> {
  const result = schema.safeParse(input, { error: fabricErrorMap });
  if (result.success) {
    return { success: true, data: result.data };
  }
  const problems = problemsFromZodError(result.error);
  return {
    success: false,
    problems,
    message: `${subject} is invalid:\n${formatProblems(problems)}`,
  };
}

/** `problems` with each path placed under the config key, e.g. `evidence.roots[0].path`. */
function underConfigKey(
  key: string,
  problems: ReadonlyArray<FabricProblem>,
): FabricProblem[] {
  const under = (path: string) => {
    if (!path) return key;
    // An index at the top level follows the key directly: `fabric.sites[1]`.
    return path.startsWith('[') ? key + path : `${key}.${path}`;
  };
  return problems.map(p => ({ ...p, path: under(p.path) }));
}

/** The one start-up error text for a bad config block: a line per problem, with the fix. */
export function formatConfigError(key: string, error: z.ZodError): string {
  return `Invalid configuration ${key}:\n${formatProblems(
    underConfigKey(key, problemsFromZodError(error)),
  )}`;
}

/**
 * Parses a config block (`config.getOptional(key)`) with the Fabric error messages;
 * throws one error naming every bad key so a start-up fails with all fixes at once.
 */
export function parseConfigBlock<S extends z.ZodType>(
  key: string,
  schema: S,
  raw: unknown,
): z.output<S> {
  const result = schema.safeParse(raw, { error: fabricErrorMap });
  if (!result.success) throw new Error(formatConfigError(key, result.error));
  return result.data;
}
