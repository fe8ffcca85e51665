/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members
 * dropped. Digests and signatures are computed over this text, so the same
 * data always gives the same bytes whatever order it was built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`cannot canonicalise the number ${value}`);
    }
    if (value === undefined) {
      throw new TypeError('cannot canonicalise undefined');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map(v => (v === undefined ? 'null' : canonicalJson(v)))
      .join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter(k => record[k] !== undefined)
    .sort();
  return `{${keys
    .map(k => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
    .join(',')}}`;
}
