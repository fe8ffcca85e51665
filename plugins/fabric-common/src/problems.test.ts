import { z } from 'zod';
import {
  describeValue,
  formatFieldPath,
  fabricErrorMap,
  formatProblems,
  formatZodError,
  parseWithProblems,
  parseConfigBlock,
} from './problems';

describe('formatFieldPath', () => {
  it('joins keys with dots, indexes with brackets and quotes odd keys', () => {
    expect(formatFieldPath(['spec', 'network', 'lanVips', 0, 'address'])).toBe(
      'spec.network.lanVips[0].address',
    );
    expect(
      formatFieldPath(['metadata', 'annotations', 'fabric.samakia.io/plane']),
    ).toBe('metadata.annotations["fabric.samakia.io/plane"]');
    expect(formatFieldPath([])).toBe('');
  });
});

describe('describeValue', () => {
  it('renders values briefly', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(4)).toBe('4');
  });

  it('cuts long text short instead of echoing it', () => {
    const long = 'x'.repeat(100_000);
    expect(describeValue(long)).toBe(
      `"${'x'.repeat(60)}… (100000 characters)"`,
    );
  });
});

describe('parseWithProblems and the error map', () => {
  const schema = z.strictObject({
    name: z.string(),
    size: z.number().min(1).max(3),
    kind: z.enum(['a', 'b']),
    list: z.array(z.string()).min(1),
  });
  const valid = { name: 'n', size: 2, kind: 'a', list: ['x'] };

  function messages(input: unknown) {
    const result = parseWithProblems(schema, input, 'Thing thing:default/t');
    if (result.success) throw new Error('expected failure');
    return result;
  }

  it('returns the data when valid', () => {
    expect(parseWithProblems(schema, valid, 'x')).toEqual({
      success: true,
      data: valid,
    });
  });

  it('says a missing field is missing and what to add', () => {
    const { name: _name, ...rest } = valid;
    expect(messages(rest).problems).toEqual([
      { path: 'name', message: 'is missing; add it (expected a text value)' },
    ]);
  });

  it('names the wrong type', () => {
    expect(messages({ ...valid, name: 5 }).problems[0].message).toBe(
      'expected a text value, got 5; change it to a text value',
    );
  });

  it('lists the allowed enum values', () => {
    expect(messages({ ...valid, kind: 'c' }).problems[0].message).toBe(
      '"c" is not allowed; use one of: a, b',
    );
  });

  it('names unknown fields', () => {
    expect(messages({ ...valid, nmae: 'x' }).problems[0]).toEqual({
      path: '',
      message: "unknown field 'nmae'; remove it or fix the spelling",
    });
  });

  it('explains bounds', () => {
    expect(messages({ ...valid, size: 0 }).problems[0].message).toBe(
      '0 is below the minimum 1; use a value of at least 1',
    );
    expect(messages({ ...valid, size: 9 }).problems[0].message).toBe(
      '9 is above the maximum 3; use a value of at most 3',
    );
    expect(messages({ ...valid, list: [] }).problems[0].message).toBe(
      'needs at least 1 entry; add one',
    );
  });

  it('heads the combined message with the subject, one line per problem', () => {
    const result = messages({ ...valid, size: 0, kind: 'c' });
    expect(result.message).toBe(
      'Thing thing:default/t is invalid:\n' +
        '- size: 0 is below the minimum 1; use a value of at least 1\n' +
        '- kind: "c" is not allowed; use one of: a, b',
    );
    expect(formatProblems([{ path: '', message: 'whole entity' }])).toBe(
      '- whole entity',
    );
  });
});

describe('parseConfigBlock', () => {
  const schema = z
    .object({
      roots: z.array(z.object({ name: z.string().min(1) })).min(1),
      retentionDays: z.number().int().min(1).default(30),
    })
    .strict();

  it('returns the parsed block with its defaults', () => {
    expect(
      parseConfigBlock('evidence', schema, { roots: [{ name: 'samples' }] }),
    ).toEqual({ roots: [{ name: 'samples' }], retentionDays: 30 });
  });

  it('names every bad key under the config key, with the fix, in one error', () => {
    let message = '';
    try {
      parseConfigBlock('evidence', schema, {
        roots: [{ name: '' }],
        retentionDays: 0,
        retentionDay: 3,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration evidence:',
      '- evidence.roots[0].name: must not be empty; fill it in or remove the field',
      '- evidence.retentionDays: 0 is below the minimum 1; use a value of at least 1',
      "- evidence: unknown field 'retentionDay'; remove it or fix the spelling",
    ]);
  });

  it('puts an index at the top level right after the key', () => {
    expect(() =>
      parseConfigBlock('fabric.sites', z.array(z.string()), ['a', 7]),
    ).toThrow(
      /- fabric\.sites\[1\]: expected a text value, got 7; change it to a text value/,
    );
  });

  it('refuses a missing block as missing, not as a crash', () => {
    expect(() => parseConfigBlock('evidence', schema, undefined)).toThrow(
      /- evidence: is missing; add it/,
    );
  });
});

describe('formatZodError', () => {
  it('puts every problem on one line, each as <field>: <problem>; <fix>', () => {
    const schema = z.object({
      files: z.array(z.object({ sha256: z.string() })),
      version: z.number(),
    });
    const result = schema.safeParse(
      { files: [{ sha256: 7 }] },
      { error: fabricErrorMap },
    );
    expect(result.success).toBe(false);
    expect(formatZodError(result.error!)).toBe(
      'files[0].sha256: expected a text value, got 7; change it to a text value; ' +
        'version: is missing; add it (expected a number)',
    );
  });

  it('gives the message alone for a problem with the whole input', () => {
    const result = z.string().safeParse(3, { error: fabricErrorMap });
    expect(formatZodError(result.error!)).toBe(
      'expected a text value, got 3; change it to a text value',
    );
  });
});
