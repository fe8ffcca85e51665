/**
 * Generators of bad input: values of the wrong type, hostile strings and malformed documents,
 * and the cases built from them (one field of an otherwise valid input changed at a time).
 */

export const WRONG_TYPES: Array<[string, unknown]> = [
  ['a number', 42],
  ['true', true],
  ['null', null],
  ['a list', ['x']],
  ['an object', { x: 1 }],
];

/** Strings that no pattern-checked field (refs, ids, names, enums, URLs) may accept. */
export const HOSTILE: Array<[string, string]> = [
  ['SQL injection', "x' OR '1'='1'; DROP TABLE approvals_proposals; --"],
  ['shell injection', '$(rm -rf /); `id` | cat /etc/passwd'],
  ['HTML', '<script>alert(1)</script><img src=x onerror=alert(1)>'],
  ['path traversal', '../../../../etc/passwd'],
  ['encoded traversal', '..%2F..%2F..%2Fetc%2Fpasswd'],
  ['unicode', 'ténant-😀-\u202e-ＴＥＮＡＮＴ'],
  ['control characters', 'a\u0000b\r\nc'],
  ['a huge value', 'x'.repeat(200_000)],
  ['empty', ''],
];

/** Bodies that are not JSON at all, sent as application/json. */
export const MALFORMED_JSON: Array<[string, string]> = [
  ['truncated JSON', '{"tenant": "project-birds", "type": '],
  ['single-quoted JSON', "{'tenant': 'project-birds'}"],
  ['YAML instead of JSON', 'tenant: project-birds\ntype: other\n  - [broken'],
  ['a bare word', 'undefined'],
  ['trailing comma', '{"a": 1,}'],
];

/** Valid JSON that is not an object. */
export const NOT_AN_OBJECT: Array<[string, unknown]> = [
  ['a JSON list', [1, 2, 3]],
  ['a JSON string', 'project-birds'],
  ['a JSON number', 7],
];

export interface FieldVariant {
  label: string;
  value: unknown;
  /** Leaves the field out instead of setting it. */
  omit?: boolean;
}

/** `base` with one field replaced (or removed). */
export function withField(
  base: Record<string, unknown>,
  field: string,
  variant: FieldVariant,
): Record<string, unknown> {
  const copy = { ...base };
  if (variant.omit) delete copy[field];
  else copy[field] = variant.value;
  return copy;
}

export const missing: FieldVariant = {
  label: 'missing',
  value: undefined,
  omit: true,
};

export function wrongTypes(except: string[] = []): FieldVariant[] {
  return WRONG_TYPES.filter(([label]) => !except.includes(label)).map(
    ([label, value]) => ({ label, value }),
  );
}

export function hostile(except: string[] = []): FieldVariant[] {
  return HOSTILE.filter(([label]) => !except.includes(label)).map(
    ([label, value]) => ({ label, value }),
  );
}

/** A short description of a value for test names. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return 'nothing';
  return text.length > 40
    ? `${text.slice(0, 30)}… (${text.length} chars)`
    : text;
}
