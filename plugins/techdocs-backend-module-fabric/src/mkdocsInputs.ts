import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';

const MKDOCS_FILES = ['mkdocs.yml', 'mkdocs.yaml'];

/**
 * What of `dir` an mkdocs build reads: its config file, the `docs_dir` (default `docs`) and a
 * theme `custom_dir`, when the config names them; undefined when there is no mkdocs config (the
 * generator then writes a default one, so the whole folder is copied). A site at a repository
 * root (the portal's own docs, `dir:.`) must not copy the checkout, its data or its toolchain.
 */
export function mkdocsInputs(dir: string): string[] | undefined {
  const config = MKDOCS_FILES.find(name => fs.existsSync(path.join(dir, name)));
  if (!config) return undefined;
  const text = fs.readFileSync(path.join(dir, config), 'utf8');
  const value = (key: string) =>
    text
      .match(new RegExp(`^\\s*${key}:\\s*['"]?([^'"#\\s]+)`, 'm'))?.[1]
      ?.replace(/\/+$/, '');
  const inputs = [config, value('docs_dir') ?? 'docs', value('custom_dir')];
  return inputs.filter(
    (entry): entry is string =>
      entry !== undefined &&
      !path.isAbsolute(entry) &&
      insideDir(dir, entry) &&
      fs.existsSync(path.join(dir, entry)),
  );
}

/** Whether `entry` names `dir` or something in it, after `..` and symlinks are resolved. */
function insideDir(dir: string, entry: string): boolean {
  try {
    resolveSafeChildPath(dir, entry);
    return true;
  } catch {
    return false;
  }
}
