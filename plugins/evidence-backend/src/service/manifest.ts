import {
  fabricErrorMap,
  formatProblem,
  problemsFromZodError,
} from '@internal/plugin-fabric-common';
import { jsonManifestSchema } from '@internal/plugin-evidence-common';
import { safeRelativePath } from './paths';

export interface ParsedManifest {
  /** Packet-relative path -> expected sha256 (lower-case hex). */
  entries: Map<string, string>;
  /** Lines or fields that could not be read, each naming where. */
  problems: string[];
  /** Listed paths that point outside the packet (never read). */
  unsafe: Array<{ path: string; problem: string }>;
}

function unescapeGnu(name: string): string {
  // coreutils escapes a backslash as \\ and a newline as \n (and \r in newer versions).
  const escapes: Record<string, string> = { n: '\n', r: '\r', '\\': '\\' };
  return name.replace(/\\(\\|n|r)/g, (_, c: string) => escapes[c]);
}

function add(
  manifest: ParsedManifest,
  rawPath: string,
  sha256: string,
  where: string,
) {
  const safe = safeRelativePath(rawPath);
  if (!safe.ok) {
    manifest.unsafe.push({ path: rawPath, problem: safe.problem });
    return;
  }
  if (manifest.entries.has(safe.path)) {
    manifest.problems.push(`${where}: ${safe.path} is listed twice`);
    return;
  }
  manifest.entries.set(safe.path, sha256.toLowerCase());
}

/**
 * Reads GNU coreutils `sha256sum` output: `<hash>  <path>` (text mode),
 * `<hash> *<path>` (binary mode), escaped names (a line starting with `\`)
 * and the `--tag` form `SHA256 (<path>) = <hash>`.
 */
export function parseSha256Sums(text: string): ParsedManifest {
  const manifest: ParsedManifest = {
    entries: new Map(),
    problems: [],
    unsafe: [],
  };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const where = `line ${i + 1}`;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const tagged = /^SHA256 \((.*)\) = ([0-9a-fA-F]{64})$/.exec(line);
    if (tagged) {
      add(manifest, tagged[1], tagged[2], where);
      return;
    }
    const escaped = line.startsWith('\\');
    const body = escaped ? line.slice(1) : line;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(body);
    if (!m) {
      manifest.problems.push(
        `${where} is not "<sha256>  <path>" as sha256sum writes it`,
      );
      return;
    }
    add(manifest, escaped ? unescapeGnu(m[2]) : m[2], m[1], where);
  });
  if (manifest.entries.size === 0 && manifest.problems.length === 0) {
    manifest.problems.push('the manifest lists no files');
  }
  return manifest;
}

/** Reads `manifest.json` (see jsonManifestSchema). */
export function parseJsonManifest(text: string): ParsedManifest {
  const manifest: ParsedManifest = {
    entries: new Map(),
    problems: [],
    unsafe: [],
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    manifest.problems.push(
      `manifest.json is not JSON (${(error as Error).message})`,
    );
    return manifest;
  }
  const parsed = jsonManifestSchema.safeParse(json, { error: fabricErrorMap });
  if (!parsed.success) {
    for (const problem of problemsFromZodError(parsed.error)) {
      manifest.problems.push(`manifest.json ${formatProblem(problem)}`);
    }
    return manifest;
  }
  const files = parsed.data.files;
  const list = Array.isArray(files)
    ? files.map(f => [f.path, f.sha256] as const)
    : Object.entries(files);
  list.forEach(([p, sha], i) => add(manifest, p, sha, `files[${i}]`));
  if (manifest.entries.size === 0 && manifest.problems.length === 0) {
    manifest.problems.push('the manifest lists no files');
  }
  return manifest;
}
