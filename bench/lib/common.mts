// Shared helpers of the benchmark suite (bench/run.mts): options, timing, percentiles, free
// ports, child processes and the result records every part returns.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
export const repoRoot = path.resolve(benchDir, '..');

/** The Yarn release file `.yarnrc.yml` names (yarnPath), the one place its version is written. */
export function yarnRelease(): string {
  const yarnPath = /^yarnPath:\s*['"]?([^'"\s]+)/m.exec(
    fs.readFileSync(path.join(repoRoot, '.yarnrc.yml'), 'utf8'),
  )?.[1];
  if (!yarnPath) throw new Error('.yarnrc.yml names no yarnPath');
  return path.join(repoRoot, yarnPath);
}

const localRequire = createRequire(import.meta.url);
let transformLoaded = false;

/**
 * Requires a module of the repository by its path from the root: TypeScript sources of the
 * backend and plugins load through the Backstage CLI's node transform (registered once).
 */
export function requireRepo<T>(relativePath: string): T {
  if (!transformLoaded) {
    localRequire('@backstage/cli/config/nodeTransform.cjs');
    transformLoaded = true;
  }
  return localRequire(path.join(repoRoot, relativePath));
}

/** One printed figure: what was measured, its value, and the goal it is read against. */
export interface Figure {
  part: string;
  name: string;
  value: number | null;
  unit: string;
  /** Human-readable goal, e.g. "<= 100 ms"; absent for context figures. */
  goal?: string;
  /** Whether the value meets the goal (undefined: no goal or not measured). */
  met?: boolean;
  note?: string;
}

export interface PartResult {
  part: string;
  figures: Figure[];
  details?: Record<string, unknown>;
  error?: string;
  seconds: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Parts to run; all when empty. */
  only: string[];
  rebuildApp: boolean;
}

export function log(message: string) {
  process.stderr.write(
    `[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The repository's test helpers (packages/fabric-test-utils), loaded through the node transform
 * on first use: the tests and the bench find free ports, poll and stop processes the same way.
 */
export function testUtils() {
  return requireRepo<
    typeof import('../../packages/fabric-test-utils/src/index.ts')
  >('packages/fabric-test-utils/src/index.ts');
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return testUtils().freePort();
}

/** Polls `probe` until it returns something other than undefined (default: up to 90 s). */
export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs?: number,
): Promise<T> {
  return testUtils().waitFor(what, probe, timeoutMs);
}

export function round(value: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** A figure with a goal of "at most" (`lte`) or "at least" (`gte`) a bound. */
export function goalFigure(
  base: Omit<Figure, 'goal' | 'met'>,
  goal: { op: '<=' | '>='; bound: number; unit?: string },
): Figure {
  const { value } = base;
  const met =
    value === null || !Number.isFinite(value)
      ? undefined
      : goal.op === '<='
      ? value <= goal.bound
      : value >= goal.bound;
  return {
    ...base,
    goal: `${goal.op} ${goal.bound}${goal.unit ?? ` ${base.unit}`}`.trim(),
    met,
  };
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');
}

/** Spawns a child process whose output goes to the given log stream; never detached. */
export function spawnLogged(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /**
     * Where the child's output goes: a stream this process copies it into, or the descriptor
     * of an open file the child writes to itself (no work for this process, which may be
     * running the load generator).
     */
    logFile?: NodeJS.WritableStream | number;
  } = {},
): ChildProcess {
  const fd = typeof options.logFile === 'number' ? options.logFile : undefined;
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) {
    // The child writes to the file directly.
  } else if (options.logFile && typeof options.logFile !== 'number') {
    child.stdout?.pipe(options.logFile, { end: false });
    child.stderr?.pipe(options.logFile, { end: false });
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  return child;
}

/** Stops a child this suite started, by its pid: SIGTERM, then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess): Promise<void> {
  return testUtils().stopProcess(child);
}

/** Runs a command to completion, capturing stdout; rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', d => {
      out += d;
      if (options.echo) process.stderr.write(d);
    });
    child.stderr.on('data', d => {
      err += d;
      if (options.echo) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${command} ${args.join(' ')} exited ${code}: ${err.slice(
                -2000,
              )}`,
            ),
          ),
    );
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux; USER_HZ is 100
 * there), or undefined elsewhere. Unlike requests/s, CPU time per request hardly depends on
 * what else the machine is running, so it compares runs on a shared machine.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
