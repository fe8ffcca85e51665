import { isChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Normalises a packet-relative path written by someone else (a manifest line,
 * a tar entry, a download request) or explains why it is refused: absolute
 * paths, drive letters, backslashes, NUL bytes and `..` segments never name a
 * file inside a packet.
 */
export function safeRelativePath(
  input: string,
): { ok: true; path: string } | { ok: false; problem: string } {
  if (input.includes('\0'))
    return { ok: false, problem: 'contains a NUL byte' };
  if (input.includes('\\')) {
    return { ok: false, problem: 'contains a backslash' };
  }
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input)) {
    return { ok: false, problem: 'is an absolute path' };
  }
  const segments = input.split('/').filter(s => s !== '' && s !== '.');
  if (segments.some(s => s === '..')) {
    return { ok: false, problem: 'climbs out with ".."' };
  }
  if (segments.length === 0) return { ok: false, problem: 'is empty' };
  return { ok: true, path: segments.join('/') };
}

/** Plain code-unit order, the same in every locale (paths, digests lists). */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/**
 * Resolves a packet-relative path to a regular file whose real location
 * (after every symlink) is inside the packet's real folder; undefined when it
 * is not one, so a caller can never be led outside the packet.
 */
export async function resolveFileInside(
  packetRealDir: string,
  relPath: string,
): Promise<string | undefined> {
  const safe = safeRelativePath(relPath);
  if (!safe.ok) return undefined;
  const candidate = path.join(packetRealDir, ...safe.path.split('/'));
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    return undefined;
  }
  if (!isChildPath(packetRealDir, real)) return undefined;
  const stat = await fs.promises.stat(real);
  return stat.isFile() ? real : undefined;
}
