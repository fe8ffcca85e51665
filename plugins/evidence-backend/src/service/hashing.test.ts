import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashAndScanFile } from './hashing';

const MiB = 1024 * 1024;
const GITHUB_TOKEN = `ghp_${'a'.repeat(36)}`;

/**
 * A log of `lines` lines of about 100 bytes; `secrets` maps a 1-based line
 * number to the secret written on it.
 */
function logText(lines: number, secrets: Map<number, string>): Buffer {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    const secret = secrets.get(i);
    out.push(
      secret
        ? `2026-01-02T17:00:00Z step=${i} level=info msg="${secret}"\n`
        : `2026-01-02T17:00:00Z step=${i} host=minio-edge-${
            i % 3
          } level=info msg="probe ok" latency_ms=${(i * 7919) % 997}\n`,
    );
  }
  return Buffer.from(out.join(''), 'latin1');
}

const sha256 = (bytes: Buffer) =>
  createHash('sha256').update(bytes).digest('hex');

describe('hashAndScanFile', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-hashing-'));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(name: string, bytes: Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  /**
   * A log whose secrets each straddle a boundary: the scanner's 64 KiB decode
   * pieces, the 1 MiB reads, a line cut in two by a read.
   */
  function secretsAcrossBoundaries(total: number): {
    text: Buffer;
    expected: { rule: string; line: number }[];
  } {
    const boundaries = [64 * 1024, 1 * MiB, 2 * MiB + 64 * 1024, 4 * MiB];
    const parts: string[] = [];
    const expected: { rule: string; line: number }[] = [];
    let length = 0;
    let line = 0;
    const add = (text: string) => {
      parts.push(text);
      length += text.length;
      line++;
    };
    const filler = (i: number) =>
      `2026-01-02T17:00:00Z step=${i} level=info msg="probe ok" latency_ms=${
        (i * 7919) % 997
      }\n`;
    for (const [i, boundary] of boundaries.entries()) {
      const start = boundary - 10;
      while (length + filler(line).length < start - 1) add(filler(line));
      add(`${'.'.repeat(start - length - 1)}\n`);
      // The secret's line starts 10 bytes before the boundary.
      const secret =
        i % 2 ? GITHUB_TOKEN : 'password=hunter2-prod and more words';
      add(`${secret}\n`);
      expected.push({
        rule: i % 2 ? 'github-token' : 'password-assignment',
        line,
      });
    }
    while (length < total) add(filler(line));
    return { text: Buffer.from(parts.join(''), 'latin1'), expected };
  }

  it('hashes and scans a large file in one pass, secrets on chunk boundaries included', async () => {
    const { text, expected } = secretsAcrossBoundaries(5 * MiB + 12345);
    expect(text.length).toBeGreaterThan(5 * MiB);
    const result = await hashAndScanFile(write('large.log', text));
    expect(result).toEqual({
      sha256: sha256(text),
      size: text.length,
      binary: false,
      findings: expected,
    });
  });

  it('gives the same answer for a small file', async () => {
    const secrets = new Map([[7, GITHUB_TOKEN]]);
    const text = logText(100, secrets);
    expect(await hashAndScanFile(write('small.log', text))).toEqual({
      sha256: sha256(text),
      size: text.length,
      binary: false,
      findings: [{ rule: 'github-token', line: 7 }],
    });
  });

  it('does not scan a large binary file but still hashes it', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0, 1, 2, 3]),
      logText(60_000, new Map([[10, GITHUB_TOKEN]])),
    ]);
    expect(await hashAndScanFile(write('large.bin', bytes))).toEqual({
      sha256: sha256(bytes),
      size: bytes.length,
      binary: true,
      findings: [],
    });
  });

  it('hashes an empty file', async () => {
    expect(await hashAndScanFile(write('empty.log', Buffer.alloc(0)))).toEqual({
      sha256: sha256(Buffer.alloc(0)),
      size: 0,
      binary: false,
      findings: [],
    });
  });

  it('keeps files apart when several are hashed at once', async () => {
    const files = Array.from({ length: 7 }, (_, i) => {
      const text = logText(
        50_000 + i * 997,
        new Map([[100 + i, GITHUB_TOKEN]]),
      );
      return { file: write(`many-${i}.log`, text), text, line: 100 + i };
    });
    const results = await Promise.all(files.map(f => hashAndScanFile(f.file)));
    results.forEach((result, i) => {
      expect(result).toEqual({
        sha256: sha256(files[i].text),
        size: files[i].text.length,
        binary: false,
        findings: [{ rule: 'github-token', line: files[i].line }],
      });
    });
    // A test of correctness, not speed: seven 50,000-line files on a loaded machine take longer
    // than jest's default 5 s.
  }, 60_000);

  it('reports a missing file as the file system does', async () => {
    await expect(
      hashAndScanFile(path.join(dir, 'no-such-file.log')),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
