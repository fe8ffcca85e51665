import { z } from 'zod';

/**
 * `limit` and `offset` of a list query (query-string numbers): one page of at most `max`
 * items, `defaultLimit` when not given. Spread into a query schema.
 */
export function pagingShape(
  options: { max?: number; defaultLimit?: number } = {},
) {
  const { max = 500, defaultLimit = 100 } = options;
  return {
    limit: z.coerce.number().int().min(1).max(max).default(defaultLimit),
    offset: z.coerce.number().int().min(0).default(0),
  };
}
