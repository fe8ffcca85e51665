import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { jsonObjectField, jsonValueField, jsonValueProblem } from './json';
import { parseWithProblems } from './problems';

const nested = (levels: number) => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: [value] };
  return value;
};

describe('plain, bounded JSON', () => {
  it('refuses 20,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(jsonValueProblem(deep)?.message).toMatch(/deeper than 100 levels/);
    expect(jsonValueProblem(nested(10_000))?.message).toMatch(/deeper/);
  });

  it('refuses non-finite numbers, naming where they are', () => {
    const value = JSON.parse('{"limits": {"cpu": [1, 1e999]}}');
    expect(jsonValueProblem(value)).toEqual({
      path: 'limits.cpu[1]',
      message: expect.stringMatching(/is Infinity, not a finite number/),
    });
    expect(jsonValueProblem(-Infinity)?.message).toMatch(/-Infinity/);
    expect(jsonValueProblem(NaN)?.message).toMatch(/NaN/);
  });

  it('refuses what JSON cannot say', () => {
    expect(jsonValueProblem({ at: new Date(0) })?.path).toBe('at');
    expect(jsonValueProblem([() => 1])?.message).toMatch(/function/);
  });

  it('takes plain objects built in another realm (the scaffolder renders values in a sandbox)', () => {
    const fromSandbox = runInNewContext(
      '({ quotas: { memoryGiB: 48 }, tags: [{ a: null }] })',
    );
    expect(Object.getPrototypeOf(fromSandbox)).not.toBe(Object.prototype);
    expect(jsonValueProblem(fromSandbox)).toBeUndefined();
    expect(jsonValueProblem(Object.create(null))).toBeUndefined();
    class Quotas {
      memoryGiB = 48;
    }
    expect(jsonValueProblem({ quotas: new Quotas() })?.path).toBe('quotas');
    expect(jsonValueProblem({ at: new Date(0) })?.path).toBe('at');
    expect(jsonValueProblem({ m: new Map() })?.path).toBe('m');
  });

  it('takes ordinary JSON, up to the bound', () => {
    expect(jsonValueProblem(nested(49))).toBeUndefined();
    expect(
      jsonValueProblem({
        a: [1, -2.5, 'x', null, true, { b: {} }],
        c: undefined,
      }),
    ).toBeUndefined();
  });

  it('reports through zod with the field and the member', () => {
    const schema = z.strictObject({
      details: jsonObjectField,
      value: jsonValueField,
    });
    const result = parseWithProblems(
      schema,
      { details: JSON.parse('{"max": 1e999}'), value: nested(200) },
      'The change',
    );
    expect(result.success).toBe(false);
    expect(!result.success && result.message).toMatch(
      /- details: max is Infinity, not a finite number/,
    );
    expect(!result.success && result.message).toMatch(
      /- value: .*nests deeper than 100 levels/,
    );
  });
});
