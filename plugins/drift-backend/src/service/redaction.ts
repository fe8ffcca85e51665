import {
  SECRET_KEY_WORDS,
  secretWordPattern,
} from '@internal/plugin-fabric-common';

/** What replaces a secret value in stored drift. */
export const REDACTED = '(sensitive)';

// Attribute names that carry secrets in the tools we ingest (Terraform
// providers, substrate observers): a secret word as a whole part of the name.
// Drift is evidence: it never stores secrets, even when a producer forgets to
// mark one.
const SECRET_KEY = new RegExp(
  `(^|[_.-])(${SECRET_KEY_WORDS.map(w => secretWordPattern(w)).join(
    '|',
  )})($|[_.-])`,
  'i',
);

/** Replaces values of secret-looking keys, at any depth. */
export function redactSecretKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecretKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && v !== null && v !== ''
          ? REDACTED
          : redactSecretKeys(v),
      ]),
    );
  }
  return value;
}

/**
 * Applies Terraform's sensitivity marks (`before_sensitive` /
 * `after_sensitive`): `true` marks a sensitive value, objects and arrays mark
 * their members.
 */
export function redactTerraformSensitive(
  value: unknown,
  marks: unknown,
): unknown {
  if (marks === true) return value === null ? null : REDACTED;
  if (Array.isArray(value) && Array.isArray(marks)) {
    return value.map((v, i) => redactTerraformSensitive(v, marks[i]));
  }
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    marks &&
    typeof marks === 'object' &&
    !Array.isArray(marks)
  ) {
    const m = marks as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        redactTerraformSensitive(v, m[k]),
      ]),
    );
  }
  return value;
}
