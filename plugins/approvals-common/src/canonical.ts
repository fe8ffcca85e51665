import canonicalize from 'canonicalize';

/**
 * The JSON Canonicalization Scheme (RFC 8785) through the `canonicalize` package: object keys
 * sorted by UTF-16 code units, no whitespace, ECMAScript number form, `undefined` members
 * dropped. Digests that approvers sign and the audit chain's hashes are computed over this
 * text, so anyone can recompute them offline with any RFC 8785 implementation.
 */
export function canonicalJson(value: unknown): string {
  const text = value === undefined ? undefined : canonicalize(value);
  if (text === undefined) {
    // A digest over nothing would match every other nothing: refuse it.
    throw new TypeError('cannot canonicalise undefined');
  }
  return text;
}
