import { z } from 'zod';

/**
 * Characters a reader cannot see but that change what a text shows: control characters
 * (C0, DEL, C1), format characters (bidirectional overrides and isolates such as U+202E,
 * zero-width spaces and joiners, the byte-order mark, soft hyphen, tag characters) and the
 * line / paragraph separators. U+202E turns the title `gnp.exe` (spelled backwards after it)
 * into what looks like `exe.png`; none of them belongs in an identifier or a name.
 */
const INVISIBLE_SOURCE = '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]';

/** Multi-line text keeps its line breaks and tabs; everything else invisible is refused. */
const INVISIBLE_IN_TEXT_SOURCE =
  '(?![\\t\\n\\r])[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]';

/** `U+202E` for a code point. */
export function codePointLabel(char: string): string {
  return `U+${char
    .codePointAt(0)!
    .toString(16)
    .toUpperCase()
    .padStart(4, '0')}`;
}

/**
 * The invisible characters of `value`, labelled (`U+202E`), in order of appearance without
 * repeats; empty when there are none. `multiline` allows tab, line feed and carriage return.
 */
export function invisibleCharacters(
  value: string,
  options: { multiline?: boolean } = {},
): string[] {
  const pattern = new RegExp(
    options.multiline ? INVISIBLE_IN_TEXT_SOURCE : INVISIBLE_SOURCE,
    'gu',
  );
  return [...new Set((value.match(pattern) ?? []).map(codePointLabel))];
}

function invisibleProblem(found: string[]): string {
  const shown = found.slice(0, 5).join(', ');
  return `contains invisible or control characters (${shown}${
    found.length > 5 ? ', …' : ''
  }) that can disguise what it says; remove them and type the text plainly`;
}

/**
 * Adds an issue when `value` holds invisible characters: the one refinement every identifier
 * and name shares (see {@link visibleNameField}).
 */
export function refuseInvisible(
  value: string,
  ctx: z.RefinementCtx,
  options: { multiline?: boolean } = {},
): void {
  const found = invisibleCharacters(value, options);
  if (found.length > 0) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: invisibleProblem(found),
    });
  }
}

/** `schema` (a string schema) refusing invisible characters; for one-line names and identifiers. */
export function visibleNameField<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((value, ctx) => refuseInvisible(value, ctx));
}

/** `schema` (a string schema) refusing invisible characters but keeping line breaks and tabs. */
export function visibleTextField<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((value, ctx) =>
    refuseInvisible(value, ctx, { multiline: true }),
  );
}

/**
 * `value` with every invisible character replaced by a visible marker such as `<U+202E>`:
 * what a page shows of user text, so an override can never reorder what surrounds it and a
 * zero-width character is seen. Line breaks and tabs stay.
 */
export function showInvisibleCharacters(value: string): string {
  return value.replace(
    new RegExp(INVISIBLE_IN_TEXT_SOURCE, 'gu'),
    char => `<${codePointLabel(char)}>`,
  );
}
