import { Fragment } from 'react';
import {
  codePointLabel,
  invisibleCharacters,
  showInvisibleCharacters,
} from '@internal/plugin-fabric-common';

export { showInvisibleCharacters };

const INVISIBLE = /((?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}])/u;

/**
 * Text somebody else wrote (a title, a reason, a drift message, a file name), shown so it
 * cannot pretend to be something else: every invisible character (a bidirectional override
 * such as U+202E, a zero-width space, a control character) appears as a visible marker
 * `<U+202E>`, and the whole is isolated (`<bdi>`) so right-to-left letters in it cannot
 * reorder the text around it. Use {@link showInvisibleCharacters} where only a string fits
 * (a page title, a tooltip).
 */
export function UserText({ text }: { text?: string | null }) {
  if (!text) return null;
  if (invisibleCharacters(text, { multiline: true }).length === 0) {
    return <bdi>{text}</bdi>;
  }
  const parts = text.split(INVISIBLE);
  return (
    <bdi>
      {parts.map((part, i) =>
        // split() with a capture group puts each separator at an odd index.
        i % 2 === 1 ? (
          <span
            key={i}
            data-invisible-character={codePointLabel(part)}
            title={`an invisible character, ${codePointLabel(part)}`}
            style={{
              fontFamily: 'monospace',
              fontSize: '0.85em',
              padding: '0 2px',
              borderRadius: 2,
              backgroundColor: 'rgba(255, 152, 0, 0.25)',
            }}
          >
            {`<${codePointLabel(part)}>`}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </bdi>
  );
}
