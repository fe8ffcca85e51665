import { isChildPath } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { compareStrings } from './paths';

/** A file found in a packet folder. */
export interface WalkedEntry {
  /** Packet-relative, `/`-separated. */
  path: string;
  /** `unsafe`: a symlink leaving the packet, a dangling link, a device... never read. */
  type: 'file' | 'unsafe';
  /** Real location to read (a symlink's target when it stays inside the packet). */
  realPath?: string;
  size: number;
  mtimeMs: number;
  problem?: string;
}

export interface WalkResult {
  entries: WalkedEntry[];
  /** More than `maxFiles` files: the rest was not listed. */
  truncated: boolean;
}

const MAX_DEPTH = 32;

/**
 * Lists every file of a packet without following links out of it. Symlinks
 * are resolved: one whose target is a regular file inside the packet counts
 * as that file (as `sha256sum` would read it); any other is `unsafe`.
 */
export async function walkPacket(
  packetRealDir: string,
  options: { maxFiles: number },
): Promise<WalkResult> {
  const entries: WalkedEntry[] = [];
  let truncated = false;

  async function visit(dir: string, rel: string, depth: number) {
    if (depth > MAX_DEPTH) {
      entries.push({
        path: rel,
        type: 'unsafe',
        size: 0,
        mtimeMs: 0,
        problem: `folders nest deeper than ${MAX_DEPTH} levels`,
      });
      return;
    }
    const dirents = await fs.promises.readdir(dir, { withFileTypes: true });
    dirents.sort((a, b) => compareStrings(a.name, b.name));
    for (const dirent of dirents) {
      if (entries.length >= options.maxFiles) {
        truncated = true;
        return;
      }
      const abs = path.join(dir, dirent.name);
      const relPath = rel ? `${rel}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) {
        await visit(abs, relPath, depth + 1);
        continue;
      }
      const lstat = await fs.promises.lstat(abs);
      if (dirent.isFile()) {
        entries.push({
          path: relPath,
          type: 'file',
          realPath: abs,
          size: lstat.size,
          mtimeMs: Math.trunc(lstat.mtimeMs),
        });
        continue;
      }
      if (dirent.isSymbolicLink()) {
        entries.push(await symlinkEntry(packetRealDir, abs, relPath, lstat));
        continue;
      }
      entries.push({
        path: relPath,
        type: 'unsafe',
        size: 0,
        mtimeMs: Math.trunc(lstat.mtimeMs),
        problem: 'is not a regular file (device, socket or pipe)',
      });
    }
  }

  await visit(packetRealDir, '', 0);
  return { entries, truncated };
}

async function symlinkEntry(
  packetRealDir: string,
  abs: string,
  relPath: string,
  lstat: fs.Stats,
): Promise<WalkedEntry> {
  const unsafe = (problem: string): WalkedEntry => ({
    path: relPath,
    type: 'unsafe',
    size: 0,
    mtimeMs: Math.trunc(lstat.mtimeMs),
    problem,
  });
  let target: string;
  try {
    target = await fs.promises.realpath(abs);
  } catch {
    return unsafe('is a symlink to nothing');
  }
  if (!isChildPath(packetRealDir, target)) {
    return unsafe('is a symlink that leaves the packet');
  }
  const stat = await fs.promises.stat(target);
  if (!stat.isFile())
    return unsafe('is a symlink to something other than a file');
  return {
    path: relPath,
    type: 'file',
    realPath: target,
    size: stat.size,
    mtimeMs: Math.trunc(Math.max(stat.mtimeMs, lstat.mtimeMs)),
  };
}

/** Changes whenever a file is added, removed, resized or touched: the cheap rescan test. */
export function fingerprintOf(walk: WalkResult): string {
  const hash = createHash('sha256');
  for (const e of walk.entries) {
    hash.update(`${e.path}\0${e.type}\0${e.size}\0${e.mtimeMs}\n`);
  }
  hash.update(walk.truncated ? 'truncated' : 'complete');
  return hash.digest('hex');
}
