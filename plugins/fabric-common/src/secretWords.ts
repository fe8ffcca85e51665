/**
 * Words that make a key name a secret's (`db_password`, `API-KEY`, `client_secret=`): the one
 * list for every place that hides secrets. Drift replaces the values of keys named with them
 * before it stores anything; the evidence scanner flags `<word>=<value>` assignments in packet
 * files and masks their values in previews.
 *
 * Lower case; an underscore stands for `_`, `-` or nothing (`api_key` also covers `api-key`
 * and `apikey`), see {@link secretWordPattern}.
 */
export const SECRET_KEY_WORDS: ReadonlyArray<string> = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'credential',
  'credentials',
  'private_key',
  'access_key',
  'secret_key',
  'client_secret',
  'api_key',
];

/**
 * One secret word as regular-expression source without groups: `_` becomes `[_-]?`; with
 * `anyCase` each letter becomes `[Xx]`, for an expression that must not carry the `i` flag.
 */
export function secretWordPattern(
  word: string,
  options: { anyCase?: boolean } = {},
): string {
  return Array.from(word, c => {
    if (c === '_') return '[_-]?';
    if (options.anyCase && /[a-z]/.test(c)) {
      return `[${c.toUpperCase()}${c}]`;
    }
    return c;
  }).join('');
}

/**
 * The words none of whose others it contains (`secret_key` and `client_secret` contain
 * `secret`): a text holds some secret word exactly when it holds one of these, which is
 * all a cheap first pass over a file needs to look for.
 */
export function shortestSecretWords(): string[] {
  return SECRET_KEY_WORDS.filter(
    word =>
      !SECRET_KEY_WORDS.some(other => other !== word && word.includes(other)),
  );
}

interface TrieNode {
  children: Map<string, TrieNode>;
}

function trieSource(node: TrieNode): string {
  const alternatives = [...node.children].map(
    ([piece, child]) => piece + trieSource(child),
  );
  if (alternatives.length <= 1) return alternatives[0] ?? '';
  return `(?:${alternatives.join('|')})`;
}

/**
 * Regular-expression source (no capturing groups) that finds the shortest secret words, factored
 * by common prefixes (`p(?:ass(?:w(?:ord|d)|phrase)|wd|…)`): a text contains some secret word
 * exactly when it matches. Factoring keeps a first pass over large files fast.
 */
export function secretWordsPattern(
  options: { anyCase?: boolean } = {},
): string {
  const root: TrieNode = { children: new Map() };
  for (const word of shortestSecretWords()) {
    let node = root;
    for (const c of word) {
      const piece = secretWordPattern(c, options);
      let child = node.children.get(piece);
      if (!child) {
        child = { children: new Map() };
        node.children.set(piece, child);
      }
      node = child;
    }
  }
  return trieSource(root);
}
