#!/usr/bin/env node
// Fails when one dependency is declared with two different ranges across our workspaces
// (the root package.json, packages/* and plugins/*), e.g. `1.3.2` in one package and `^1.3.1`
// in another. Run by `yarn lint:all`; `--list` prints every dependency's ranges.
//
// Compared: dependencies, devDependencies and optionalDependencies with each other (what we
// install), and peerDependencies with each other (what our plugins accept from the app, which
// may be wider, e.g. React 16-18). Not compared: `workspace:` ranges (our own packages) and the
// root `resolutions`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

export interface Manifest {
  file: string;
  json: Partial<Record<(typeof FIELDS)[number], Record<string, string>>>;
}

/** dependency name (suffixed ` (peer)` for peer ranges) -> range -> the manifests (file and field) declaring it so. */
export type RangeMap = Map<string, Map<string, string[]>>;

export function collectRanges(manifests: Manifest[]): RangeMap {
  const ranges: RangeMap = new Map();
  for (const { file, json } of manifests) {
    for (const field of FIELDS) {
      for (const [name, range] of Object.entries(json[field] ?? {})) {
        if (range.startsWith('workspace:')) continue;
        const key = field === 'peerDependencies' ? `${name} (peer)` : name;
        const byRange = ranges.get(key) ?? new Map<string, string[]>();
        byRange.set(range, [
          ...(byRange.get(range) ?? []),
          `${file} (${field})`,
        ]);
        ranges.set(key, byRange);
      }
    }
  }
  return ranges;
}

/** The dependencies declared with more than one range, sorted by name. */
export function conflicts(
  ranges: RangeMap,
): Array<[string, Map<string, string[]>]> {
  return [...ranges]
    .filter(([, byRange]) => byRange.size > 1)
    .sort(([a], [b]) => a.localeCompare(b));
}

function readManifests(repoRoot: string): Manifest[] {
  const files = ['package.json'];
  for (const dir of ['packages', 'plugins']) {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir)).sort()) {
      const file = path.join(dir, entry, 'package.json');
      if (fs.existsSync(path.join(repoRoot, file))) files.push(file);
    }
  }
  return files.map(file => ({
    file,
    json: JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')),
  }));
}

function main() {
  const repoRoot = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
  );
  const ranges = collectRanges(readManifests(repoRoot));
  if (process.argv.includes('--list')) {
    for (const [name, byRange] of [...ranges].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      console.log(`${name}: ${[...byRange.keys()].join(', ')}`);
    }
  }
  const found = conflicts(ranges);
  if (found.length === 0) {
    console.log(
      `check-dependency-ranges: each of ${ranges.size} dependencies has one range across the workspaces`,
    );
    return;
  }
  console.error(
    `check-dependency-ranges: ${found.length} dependencies have more than one range; use one range everywhere (the one yarn.lock resolves):`,
  );
  for (const [name, byRange] of found) {
    console.error(`  ${name}`);
    for (const [range, where] of byRange) {
      console.error(`    ${range}: ${where.join(', ')}`);
    }
  }
  process.exitCode = 1;
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  main();
}
