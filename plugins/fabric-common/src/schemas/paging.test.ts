import { z } from 'zod';
import { pagingShape } from './paging';

describe('pagingShape', () => {
  const schema = z.strictObject({ ...pagingShape() });

  it('defaults to the first page of 100', () => {
    expect(schema.parse({})).toEqual({ limit: 100, offset: 0 });
  });

  it('reads query-string numbers', () => {
    expect(schema.parse({ limit: '20', offset: '40' })).toEqual({
      limit: 20,
      offset: 40,
    });
  });

  it.each([
    ['limit', '0'],
    ['limit', '501'],
    ['limit', '1.5'],
    ['limit', 'ten'],
    ['offset', '-1'],
  ])('refuses %s=%s', (field, value) => {
    const result = schema.safeParse({ [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual([field]);
  });

  it('takes its own maximum and default', () => {
    const wide = z.strictObject({
      ...pagingShape({ max: 1000, defaultLimit: 500 }),
    });
    expect(wide.parse({})).toEqual({ limit: 500, offset: 0 });
    expect(wide.safeParse({ limit: '1000' }).success).toBe(true);
    expect(wide.safeParse({ limit: '1001' }).success).toBe(false);
  });
});
