import fs from 'node:fs';
import pLimit from 'p-limit';
import {
  PACKET_METADATA_FILE,
  PacketFileKind,
  PacketStep,
  SIGNATURES_DIR,
  STEPS_DIR,
} from '@internal/plugin-evidence-common';
import { WalkedEntry } from './walk';

/** RFC 3161 tokens over the manifest (`openssl ts -reply ... -out manifest.sha256.tsr`). */
export function isTimestampFile(
  path: string,
  manifest: string | undefined,
): boolean {
  return path === 'timestamp.tsr' || (!!manifest && path === `${manifest}.tsr`);
}

export function isSignatureFile(path: string, manifest: string): boolean {
  return (
    path === `${manifest}.asc` ||
    path === `${manifest}.sig` ||
    (path.startsWith(`${SIGNATURES_DIR}/`) && /\.(asc|sig)$/.test(path))
  );
}

/** Files made after the manifest: never listed in it, never counted as extra. */
export function isSideFile(
  path: string,
  manifest: string | undefined,
): boolean {
  if (manifest && (path === manifest || isSignatureFile(path, manifest))) {
    return true;
  }
  if (isTimestampFile(path, manifest)) return true;
  return path.startsWith(`${SIGNATURES_DIR}/`) && /\.(asc|sig)$/.test(path);
}

export function kindOf(
  path: string,
  manifest: string | undefined,
  summary?: string,
): PacketFileKind {
  if (path === manifest) return 'manifest';
  if (path === summary) return 'summary';
  if (path === PACKET_METADATA_FILE) return 'metadata';
  if (path.endsWith('.tsr')) return 'timestamp';
  if (manifest && isSignatureFile(path, manifest)) return 'signature';
  if (
    /\.(log|out|err|txt)$/.test(path) ||
    /(^|\/)(stdout|stderr|exit_code|exit-code|exitcode|rc)$/.test(path)
  ) {
    return 'log';
  }
  return 'other';
}

/** A file's bytes, or undefined when it is larger than `limit`. */
export async function readSmall(
  realPath: string,
  limit: number,
): Promise<Buffer | undefined> {
  const stat = await fs.promises.stat(realPath);
  if (stat.size > limit) return undefined;
  return fs.promises.readFile(realPath);
}

/** `fn` over `items` with at most `concurrency` calls running at once; results in order. */
export async function mapPool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, Math.floor(concurrency) || 1));
  return Promise.all(items.map(item => limit(() => fn(item))));
}

/**
 * Per-step output under `steps/<name>/` or, in a packet of several checks (a tenant packet's
 * `substrate-capacity/`), `<check>/steps/<name>/`: stdout, stderr and the exit code. Such a
 * step is named `<check>/<name>`.
 */
export async function stepsOf(entries: WalkedEntry[]): Promise<PacketStep[]> {
  const steps = new Map<string, PacketStep>();
  const pattern = new RegExp(`^(?:([^/]+)/)?${STEPS_DIR}/([^/]+)/(.+)$`);
  for (const entry of entries) {
    const m = pattern.exec(entry.path);
    if (!m || entry.type !== 'file') continue;
    const [, check, stepName, file] = m;
    const name = check ? `${check}/${stepName}` : stepName;
    const step = steps.get(name) ?? { name };
    steps.set(name, step);
    if (
      /^(exit_code|exit-code|exitcode|rc)(\.txt)?$/.test(file) &&
      entry.realPath
    ) {
      const raw = await readSmall(entry.realPath, 64);
      const code = raw ? Number.parseInt(raw.toString('utf8').trim(), 10) : NaN;
      if (Number.isInteger(code)) step.exitCode = code;
    } else if (/stdout/.test(file)) {
      step.stdout = entry.path;
    } else if (/stderr/.test(file)) {
      step.stderr = entry.path;
    }
  }
  return [...steps.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
