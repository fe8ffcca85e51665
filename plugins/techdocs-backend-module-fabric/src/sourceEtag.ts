import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { mkdocsInputs } from './mkdocsInputs';

/** Folders a docs build never needs and that can be huge (a `dir:.` at a repository root). */
export const SKIPPED = new Set(['.git', 'node_modules']);

function listFiles(root: string, entry: string, out: string[]) {
  const full = path.join(root, entry);
  const stat = fs.lstatSync(full);
  if (stat.isDirectory()) {
    for (const child of fs.readdirSync(full).sort()) {
      if (!SKIPPED.has(child)) listFiles(root, path.join(entry, child), out);
    }
  } else if (stat.isFile()) {
    out.push(entry);
  }
}

/**
 * The etag of a docs source folder: a SHA-256 over the relative path and bytes of every file a
 * mkdocs build reads there (mkdocs.yml, docs_dir, custom_dir; the whole folder when there is no
 * mkdocs config). It depends on content only — not on when or where the folder was built — so a
 * pre-built site and an on-demand build of the same sources carry the same etag, and TechDocs
 * reports "a newer version is available" only when a runbook really changed.
 */
export function sourceEtag(dir: string): string {
  const files: string[] = [];
  for (const entry of mkdocsInputs(dir) ?? ['.']) listFiles(dir, entry, files);
  const hash = crypto.createHash('sha256');
  for (const file of files.map(f => path.normalize(f)).sort()) {
    const relative = file.split(path.sep).join('/');
    hash.update(`${relative}\0`);
    hash.update(fs.readFileSync(path.join(dir, file)));
    hash.update('\0');
  }
  return `sha256-${hash.digest('hex').slice(0, 32)}`;
}
