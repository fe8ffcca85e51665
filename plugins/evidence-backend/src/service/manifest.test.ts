import { parseJsonManifest, parseSha256Sums } from './manifest';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('sha256sum manifests', () => {
  it('reads text, binary, escaped and tagged lines', () => {
    const m = parseSha256Sums(
      `${A}  summary.md\n${B} *./steps/01/stdout.log\n\\${A}  back\\\\slash\nSHA256 (tagged.txt) = ${A}\n`,
    );
    expect([...m.entries]).toEqual([
      ['summary.md', A],
      ['steps/01/stdout.log', B.toLowerCase()],
      ['tagged.txt', A],
    ]);
    // A backslash is refused as a path, never read.
    expect(m.unsafe).toEqual([
      { path: 'back\\slash', problem: 'contains a backslash' },
    ]);
    expect(m.problems).toEqual([]);
  });

  it('names bad lines, duplicates and paths outside the packet', () => {
    const m = parseSha256Sums(
      `${A}  a\nnot a line\n${A}  a\n${A}  ../../etc/passwd\n${A}  /etc/shadow\n`,
    );
    expect(m.problems).toEqual([
      'line 2 is not "<sha256>  <path>" as sha256sum writes it',
      'line 3: a is listed twice',
    ]);
    expect(m.unsafe.map(u => u.problem)).toEqual([
      'climbs out with ".."',
      'is an absolute path',
    ]);
  });

  it('says when nothing is listed', () => {
    expect(parseSha256Sums('\n').problems).toEqual([
      'the manifest lists no files',
    ]);
  });
});

describe('JSON manifests', () => {
  it('reads both shapes and names a bad field', () => {
    expect([
      ...parseJsonManifest(JSON.stringify({ files: { a: A } })).entries,
    ]).toEqual([['a', A]]);
    expect(
      parseJsonManifest(
        JSON.stringify({ files: [{ path: 'a', sha256: 'zz' }] }),
      ).problems,
    ).toEqual([expect.stringContaining('manifest.json files')]);
    expect(parseJsonManifest('{').problems).toEqual([
      expect.stringContaining('is not JSON'),
    ]);
  });
});
