import { z } from 'zod';
import { parseWithProblems } from './problems';
import {
  invisibleCharacters,
  showInvisibleCharacters,
  visibleNameField,
  visibleTextField,
} from './text';

// `gnp.exe` behind a right-to-left override displays as `exe.png`.
const SPOOFED = 'invoice-\u202Egnp.exe';

describe('invisible characters', () => {
  it.each([
    ['a right-to-left override', SPOOFED, ['U+202E']],
    [
      'the isolates',
      'a\u2066b\u2067c\u2068d\u2069',
      ['U+2066', 'U+2067', 'U+2068', 'U+2069'],
    ],
    ['marks', 'a\u200Eb\u200Fc\u061C', ['U+200E', 'U+200F', 'U+061C']],
    [
      'zero-width characters',
      'ad\u200Bmin\u200D\uFEFF',
      ['U+200B', 'U+200D', 'U+FEFF'],
    ],
    [
      'control characters',
      'a\u0000b\u0007c\u009B\u007F',
      ['U+0000', 'U+0007', 'U+009B', 'U+007F'],
    ],
    ['line breaks in a name', 'a\nb\u2028', ['U+000A', 'U+2028']],
    ['a tag character', 'flag\u{E0067}', ['U+E0067']],
  ])('finds %s', (_label, text, found) => {
    expect(invisibleCharacters(text)).toEqual(found);
  });

  it('keeps tabs and line breaks in multi-line text, nothing else', () => {
    expect(invisibleCharacters('a\tb\r\nc', { multiline: true })).toEqual([]);
    expect(invisibleCharacters('a\n\u202Eb', { multiline: true })).toEqual([
      'U+202E',
    ]);
  });

  it('leaves ordinary text of any script alone', () => {
    expect(invisibleCharacters('Ćevapi für 北京 مرحبا 😀 — ok')).toEqual([]);
  });

  it('refuses them in names with a message that says what to do', () => {
    const schema = z.strictObject({
      title: visibleNameField(z.string().trim().min(1)),
      reason: visibleTextField(z.string()),
    });
    const result = parseWithProblems(
      schema,
      { title: SPOOFED, reason: 'line one\n\u200Bline two' },
      'The proposal',
    );
    expect(!result.success && result.message).toBe(
      'The proposal is invalid:\n' +
        '- title: contains invisible or control characters (U+202E) that can disguise what it says; remove them and type the text plainly\n' +
        '- reason: contains invisible or control characters (U+200B) that can disguise what it says; remove them and type the text plainly',
    );
    expect(schema.safeParse({ title: 'ok', reason: 'a\nb' }).success).toBe(
      true,
    );
  });

  it('shows them as visible markers', () => {
    expect(showInvisibleCharacters(SPOOFED)).toBe('invoice-<U+202E>gnp.exe');
    expect(showInvisibleCharacters('a\nb\u200B')).toBe('a\nb<U+200B>');
  });
});
