import { SECRET_KEY_WORDS } from '@internal/plugin-fabric-common';
import {
  LineCounter,
  SecretScanner,
  findingsAt,
  maskSecrets,
  scanText,
} from './redaction';

describe('the secret scanner', () => {
  it.each([
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'private-key'],
    ['-----BEGIN RSA PRIVATE KEY-----', 'private-key'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private-key'],
    [`token ghp_${'a'.repeat(36)}`, 'github-token'],
    [`glpat-${'x'.repeat(20)}`, 'gitlab-token'],
    ['xoxb-1234567890-abcdef', 'slack-token'],
    [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlX2hlcmU',
      'jwt',
    ],
    [`VAULT_TOKEN=hvs.${'A'.repeat(24)}`, 'vault-token'],
    ['key AKIAIOSFODNN7EXAMPLQ', 'aws-access-key-id'],
    ['password=s3cret', 'password-assignment'],
    ['DB_PASSWORD="two words"', 'password-assignment'],
    ['client_secret: abc123', 'password-assignment'],
  ])('flags %s', (line, rule) => {
    expect(scanText(`before\n${line}\nafter\n`)).toEqual([{ rule, line: 2 }]);
  });

  it.each(
    SECRET_KEY_WORDS.flatMap(word => [
      `${word}=abc123`,
      `X_${word.toUpperCase().replace(/_/g, '-')}: "abc 123"`,
    ]),
  )(
    'flags the assignment %s (every word of the one secret-word list)',
    line => {
      expect(scanText(`${line}\n`)).toEqual([
        { rule: 'password-assignment', line: 1 },
      ]);
    },
  );

  it('names a token by its own rule when a secret word assigns it', () => {
    expect(scanText(`GITHUB_TOKEN='ghp_${'a'.repeat(36)}'\n`)).toEqual([
      { rule: 'github-token', line: 1 },
    ]);
  });

  it.each([
    'password=${DB_PASSWORD}',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'password=<redacted>',
    'password=***',
    'password: [REDACTED:password-assignment]',
    'PASSWORD_FILE=/run/secrets/db',
    '-----BEGIN PGP SIGNATURE-----',
    '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    'ghp_short',
  ])('leaves %s alone', line => {
    expect(scanText(`${line}\n`)).toEqual([]);
  });

  it('finds a secret split across chunks and counts lines across them', () => {
    const chunks = [
      'one\ntwo\nthe password=hun',
      'ter2\nfour\n',
      'no newline AKIAIOSFODN',
      'N7EXAMPLQ here\n',
    ].map(c => Buffer.from(c));
    const scanner = new SecretScanner();
    chunks.forEach(c => scanner.push(c));
    const hits = scanner.end();
    expect(hits).toEqual([
      { rule: 'password-assignment', offset: 12 },
      { rule: 'aws-access-key-id', offset: 45 },
    ]);
    const counter = new LineCounter(hits.map(h => h.offset));
    chunks.forEach(c => counter.push(c));
    expect(findingsAt(hits, counter.lines)).toEqual([
      { rule: 'password-assignment', line: 3 },
      { rule: 'aws-access-key-id', line: 5 },
    ]);
  });

  it('scans a line longer than its window in overlapping pieces', () => {
    const long = `${'x'.repeat(200 * 1024)} password=abc123 ${'y'.repeat(
      100,
    )}\n`;
    expect(scanText(long)).toEqual([{ rule: 'password-assignment', line: 1 }]);
  });

  it('skips binary files', () => {
    const scanner = new SecretScanner();
    scanner.push(
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('password=x\n')]),
    );
    expect(scanner.end()).toEqual([]);
    expect(scanner.binary).toBe(true);
  });

  it('masks values, never the whole text, and whole private key blocks', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(maskSecrets(`x password=abc y\n${key}\nz\n`)).toEqual({
      text: 'x password=[REDACTED:password-assignment] y\n[REDACTED:private-key]\nz\n',
      masked: true,
    });
    // A preview cut inside the key still hides the rest of it.
    expect(maskSecrets('a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE').text).toBe(
      'a\n[REDACTED:private-key]',
    );
    expect(maskSecrets('nothing here\n')).toEqual({
      text: 'nothing here\n',
      masked: false,
    });
  });
});
