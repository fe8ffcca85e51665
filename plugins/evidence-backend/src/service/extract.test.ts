import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { extractPacketArchive } from './extract';

type Entry = { name: string; type?: 'file' | 'dir'; content?: string };

/** A ustar archive written byte by byte: tools refuse to write the conflicting ones we need. */
function tar(entries: Entry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? 'x');
    const isFile = (entry.type ?? 'file') === 'file';
    const size = isFile ? data.length : 0;
    const header = Buffer.alloc(512, 0);
    const put = (text: string, offset: number) => header.write(text, offset);
    const octal = (n: number, width: number) =>
      `${n.toString(8).padStart(width - 1, '0')}\0`;
    put(entry.name, 0);
    put(octal(0o644, 8), 100);
    put(octal(0, 8), 108);
    put(octal(0, 8), 116);
    put(octal(size, 12), 124);
    put(octal(1_700_000_000, 12), 136);
    put('        ', 148);
    put(isFile ? '0' : '5', 156);
    put('ustar\0', 257);
    put('00', 263);
    const sum = header.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header);
    if (size) blocks.push(data, Buffer.alloc((512 - (size % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const limits = { maxBytes: 1 << 20, maxExtractedBytes: 1 << 20, maxFiles: 100 };

describe('extractPacketArchive: entries that contradict each other', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const extract = (entries: Entry[]) =>
    extractPacketArchive(
      Readable.from([tar(entries)]),
      path.join(dir, 'packet'),
      limits,
    );

  it.each<[string, Entry[], RegExp]>([
    [
      'a file, then a folder of the same name',
      [{ name: 'steps' }, { name: 'steps/', type: 'dir' }],
      /"steps\/" is a folder but an earlier entry made "steps" a file/,
    ],
    [
      'a folder, then a file of the same name',
      [{ name: 'steps/', type: 'dir' }, { name: 'steps' }],
      /"steps" is a file but an earlier entry made "steps" a folder/,
    ],
    [
      'a file inside a folder, then a file of the folder name',
      [{ name: 'steps/a.log' }, { name: 'steps' }],
      /"steps" is a file but an earlier entry made "steps" a folder/,
    ],
    [
      'a file, then a file inside it',
      [{ name: 'summary.md' }, { name: 'summary.md/evil' }],
      /"summary.md\/evil" lies inside "summary.md", which an earlier entry made a file/,
    ],
    [
      'a file, then a folder inside it',
      [{ name: 'summary.md' }, { name: 'summary.md/sub/', type: 'dir' }],
      /lies inside "summary.md"/,
    ],
    [
      'the same file twice, spelled differently',
      [{ name: 'steps/a.log' }, { name: './steps//a.log' }],
      /"\.\/steps\/\/a\.log" appears twice/,
    ],
  ])(
    'refuses %s with a 400 naming the entry',
    async (_label, entries, message) => {
      const error = await extract(entries).then(
        () => undefined,
        e => e,
      );
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(message);
    },
  );

  it('still takes folders listed before, after and alongside their files', async () => {
    const result = await extract([
      { name: './', type: 'dir' },
      { name: 'steps/', type: 'dir' },
      { name: 'steps/01/', type: 'dir' },
      { name: 'steps/01/out.log', content: 'ok' },
      { name: 'steps/', type: 'dir' },
      { name: 'summary.md', content: 'hi' },
    ]);
    expect(result.files).toBe(2);
  });
});
