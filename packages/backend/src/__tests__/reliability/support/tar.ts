/** One entry of a hand-made tar archive (for archives no well-behaved tool would write). */
export interface TarEntry {
  name: string;
  content?: string;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

const TYPE_FLAGS = { file: '0', link: '1', symlink: '2', directory: '5' };

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, length: number) =>
    block.write(text.slice(0, length), offset, length, 'utf8');
  const octal = (value: number, length: number) =>
    `${value.toString(8).padStart(length - 1, '0')}\0`;
  put(entry.name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(1_700_000_000, 12), 136, 12);
  put('        ', 148, 8);
  put(TYPE_FLAGS[entry.type ?? 'file'], 156, 1);
  put(entry.linkname ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** A POSIX ustar archive of `entries`, written byte by byte (names are not sanitised). */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '', 'utf8');
    const size = (entry.type ?? 'file') === 'file' ? data.length : 0;
    parts.push(header(entry, size));
    if (size > 0) {
      parts.push(data, Buffer.alloc((512 - (size % 512)) % 512, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}
