import {
  SECRET_KEY_WORDS,
  secretWordPattern,
  secretWordsPattern,
} from '@internal/plugin-fabric-common';
import type { SecretFinding } from '@internal/plugin-evidence-common';

/** Secret words in any letter case without the `i` flag, which would loosen the token rules. */
const PASSWORD_KEYS = SECRET_KEY_WORDS.map(word =>
  secretWordPattern(word, { anyCase: true }),
);

interface SecretRule {
  id: string;
  /**
   * Regular-expression source (case-sensitive, no groups) that every match of `pattern`
   * contains: the scanner's cheap first pass looks only for these.
   */
  literal: string;
  pattern: string;
  /** Some matches are placeholders, not secrets (`password=${DB_PASSWORD}`). */
  isSecret?: (match: string) => boolean;
}

/** Secrets recognisable by their own shape, whatever names them. */
const TOKEN_RULES: ReadonlyArray<SecretRule> = [
  {
    id: 'private-key',
    literal: '-----BEGIN',
    pattern: '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----',
  },
  {
    id: 'aws-access-key-id',
    literal: 'A[KS]IA',
    pattern: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b',
  },
  {
    id: 'github-token',
    literal: 'gh[pousr]_|github_pat_',
    pattern:
      '\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})',
  },
  {
    id: 'gitlab-token',
    literal: 'glpat-',
    pattern: '\\bglpat-[A-Za-z0-9_-]{20,}',
  },
  {
    id: 'slack-token',
    literal: 'xox[abprs]-',
    pattern: '\\bxox[abprs]-[A-Za-z0-9-]{10,}',
  },
  {
    id: 'jwt',
    literal: 'eyJ',
    pattern:
      '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
  },
  {
    id: 'vault-token',
    literal: 'hv[sb]\\.',
    pattern: '\\bhv[sb]\\.[A-Za-z0-9_-]{24,}',
  },
  {
    id: 'google-api-key',
    literal: 'AIza',
    pattern: '\\bAIza[0-9A-Za-z_-]{35}',
  },
  {
    id: 'stripe-key',
    literal: '[rs]k_live_',
    pattern: '\\b[rs]k_live_[0-9A-Za-z]{16,}',
  },
];

/**
 * The key and the value of a `password=...` assignment (value quoted or bare), unless the
 * value is a token of a rule above (`VAULT_TOKEN=hvs.…` is a vault token).
 */
const PASSWORD_ASSIGNMENT = `(?:${PASSWORD_KEYS.join(
  '|',
)})\\b[ \\t]*[=:][ \\t]*(?!["']?(?:${TOKEN_RULES.map(r => r.pattern).join(
  '|',
)}))(?:"[^"\\n]*"|'[^'\\n]*'|[^\\s"',;&]+)`;

/**
 * Secret-like content. Patterns have no capturing groups of their own: they
 * are joined into one alternation (one pass over the text, fast enough to run
 * next to hashing) and the matching group tells the rule.
 */
export const SECRET_RULES: ReadonlyArray<SecretRule> = [
  ...TOKEN_RULES,
  {
    id: 'password-assignment',
    // Every key word contains one of the shortest ones, which this finds.
    literal: secretWordsPattern({ anyCase: true }),
    pattern: PASSWORD_ASSIGNMENT,
    isSecret: match => !isPlaceholder(passwordValue(match)),
  },
];

const PLACEHOLDER =
  /^(?:\*+|x{3,}|\.{3,}|<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\(.*\)|\{\{.*\}\}|\$\{\{.*|%s|\[?redacted.*|\(redacted\)|null|none|nil|undefined|true|false|required|optional)$/i;

function passwordValue(match: string): string {
  const value = match.replace(/^[^=:]*[=:]\s*/, '');
  return value.replace(/^(["'])(.*)\1$/, '$2').trim();
}

function isPlaceholder(value: string): boolean {
  return value === '' || PLACEHOLDER.test(value);
}

function combined(): RegExp {
  return new RegExp(SECRET_RULES.map(r => `(${r.pattern})`).join('|'), 'g');
}

/** Which rule a match of the combined expression belongs to (first group that matched). */
function ruleOf(match: RegExpExecArray) {
  for (let i = 0; i < SECRET_RULES.length; i++) {
    if (match[i + 1] !== undefined) return SECRET_RULES[i];
  }
  return undefined;
}

/** Files whose first bytes hold a NUL are binary: not scanned, not previewed (as grep does). */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 8192).includes(0);
}

/** Findings kept per file (after merging those on one line). */
export const MAX_FINDINGS = 100;
/** A line longer than this is scanned in pieces that overlap by {@link OVERLAP}. */
const MAX_CARRY = 64 * 1024;
const OVERLAP = 1024;

/**
 * Every rule's match contains its rule's literal. This cheap first pass runs
 * faster than the rules themselves, which then only look at the lines it flags.
 */
function candidates(): RegExp {
  return new RegExp(SECRET_RULES.map(r => r.literal).join('|'), 'g');
}

/**
 * Chunks are decoded in pieces of this size: V8 puts a string of 128 KiB or
 * more in its large-object space, which made decoding 1 MiB reads 20-50x
 * slower than 64 KiB pieces (measured; bench/evidence-hash.mts prints the
 * scan's throughput).
 */
const DECODE_SIZE = 64 * 1024;

/** A match: its rule and absolute byte offset (latin1 keeps offsets in bytes). */
export interface SecretHit {
  rule: string;
  offset: number;
}

/**
 * Streams a file's bytes through the secret rules and records where each
 * match is (rule and byte offset, turned into a line by {@link findingsAt}),
 * never what it is. Rules are line-bound, so the stream is cut at line ends.
 */
export class SecretScanner {
  binary = false;
  private started = false;
  private carry = '';
  /** Absolute offset of the first character of {@link carry}. */
  private carryStart = 0;
  /** Bytes pushed so far. */
  private position = 0;
  private readonly hits = new Map<string, SecretHit>();
  private readonly regex = combined();
  private readonly candidate = candidates();

  push(chunk: Buffer): void {
    if (this.binary) return;
    if (!this.started) {
      this.started = true;
      if (looksBinary(chunk)) {
        this.binary = true;
        return;
      }
    }
    for (let from = 0; from < chunk.length; from += DECODE_SIZE) {
      this.pushPiece(chunk.subarray(from, from + DECODE_SIZE));
    }
  }

  private pushPiece(chunk: Buffer): void {
    // latin1 maps bytes 1:1, so patterns (all ASCII) match whatever the encoding.
    const text = chunk.toString('latin1');
    const chunkStart = this.position;
    this.position += text.length;
    const firstNewline = text.indexOf('\n');
    if (firstNewline === -1) {
      const joined = this.carry + text;
      if (joined.length <= MAX_CARRY) {
        this.carry = joined;
        return;
      }
      this.scan(joined, this.carryStart, joined.length);
      this.carry = joined.slice(-OVERLAP);
      this.carryStart = this.position - this.carry.length;
      return;
    }
    // The line across the chunk boundary, then the chunk's own whole lines
    // in place (no copy of the chunk).
    const head = this.carry + text.slice(0, firstNewline + 1);
    this.scan(head, this.carryStart, head.length);
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline > firstNewline) {
      this.scan(text, chunkStart, lastNewline + 1, firstNewline + 1);
    }
    this.carry = text.slice(lastNewline + 1);
    this.carryStart = chunkStart + lastNewline + 1;
  }

  /** Every match, in the order of the file. */
  end(): SecretHit[] {
    if (!this.binary && this.carry) {
      this.scan(this.carry, this.carryStart, this.carry.length);
    }
    this.carry = '';
    return [...this.hits.values()].sort((a, b) => a.offset - b.offset);
  }

  /** Scans the whole lines of `text[from, end)`; `base` is the absolute offset of `text[0]`. */
  private scan(text: string, base: number, end: number, from = 0): void {
    const candidate = this.candidate;
    candidate.lastIndex = from;
    for (
      let m = candidate.exec(text);
      m !== null && m.index < end;
      m = candidate.exec(text)
    ) {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      let lineEnd = text.indexOf('\n', m.index);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      const line = text.slice(lineStart, lineEnd);
      this.regex.lastIndex = 0;
      for (
        let match = this.regex.exec(line);
        match !== null;
        match = this.regex.exec(line)
      ) {
        const rule = ruleOf(match);
        if (!rule || (rule.isSecret && !rule.isSecret(match[0]))) continue;
        const offset = base + lineStart + match.index;
        if (this.hits.size < 10 * MAX_FINDINGS) {
          this.hits.set(`${rule.id}:${offset}`, { rule: rule.id, offset });
        }
      }
      candidate.lastIndex = Math.max(lineEnd, m.index + 1);
    }
  }
}

/** Counts `\n` bytes in `buffer[from, to)`. */
export function countNewlineBytes(
  buffer: Buffer,
  from = 0,
  to = buffer.length,
): number {
  let n = 0;
  for (
    let i = buffer.indexOf(10, from);
    i !== -1 && i < to;
    i = buffer.indexOf(10, i + 1)
  ) {
    n++;
  }
  return n;
}

/**
 * Turns hits into findings: the 1-based line of each offset (given by
 * `lineOf`, in offset order), one finding per rule and line, at most
 * {@link MAX_FINDINGS}.
 */
export function findingsAt(
  hits: SecretHit[],
  lines: number[],
): SecretFinding[] {
  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  hits.forEach((hit, i) => {
    const key = `${hit.rule}:${lines[i]}`;
    if (seen.has(key) || findings.length >= MAX_FINDINGS) return;
    seen.add(key);
    findings.push({ rule: hit.rule, line: lines[i] });
  });
  return findings;
}

/** Line numbers of ascending byte offsets, counted over chunks of the same bytes. */
export class LineCounter {
  private line = 1;
  private position = 0;
  private next = 0;
  readonly lines: number[] = [];

  constructor(private readonly offsets: number[]) {}

  get done(): boolean {
    return this.next >= this.offsets.length;
  }

  push(chunk: Buffer): void {
    let from = 0;
    while (
      !this.done &&
      this.offsets[this.next] < this.position + chunk.length
    ) {
      const upto = this.offsets[this.next] - this.position;
      this.line += countNewlineBytes(chunk, from, upto);
      from = upto;
      this.lines.push(this.line);
      this.next++;
    }
    this.line += countNewlineBytes(chunk, from);
    this.position += chunk.length;
  }
}

/** Scans a whole text (tests, small files). */
export function scanText(text: string): SecretFinding[] {
  const bytes = Buffer.from(text, 'utf8');
  const scanner = new SecretScanner();
  scanner.push(bytes);
  const hits = scanner.end();
  const counter = new LineCounter(hits.map(h => h.offset));
  counter.push(bytes);
  return findingsAt(hits, counter.lines);
}

const PRIVATE_KEY_BLOCK =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/**
 * Replaces every secret-like value of a text the portal is about to show
 * with `[REDACTED:<rule>]`: a private key from its BEGIN line to its END
 * line (or the end of the text), a password assignment's value, a token whole.
 * Callers cut previews at a line end, so a token is never shown half.
 */
export function maskSecrets(text: string): { text: string; masked: boolean } {
  let masked = false;
  let out = text.replace(PRIVATE_KEY_BLOCK, () => {
    masked = true;
    return '[REDACTED:private-key]';
  });
  out = out.replace(combined(), (...args) => {
    const match = args[0] as string;
    const index = SECRET_RULES.findIndex((_, i) => args[i + 1] !== undefined);
    const rule = SECRET_RULES[index];
    if (!rule || (rule.isSecret && !rule.isSecret(match))) return match;
    masked = true;
    if (rule.id === 'password-assignment') {
      const key = /^[^=:]*[=:]\s*/.exec(match)?.[0] ?? '';
      return `${key}[REDACTED:${rule.id}]`;
    }
    return `[REDACTED:${rule.id}]`;
  });
  return { text: out, masked };
}
