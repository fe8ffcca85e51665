import { execFile } from 'node:child_process';
import { GuardedStep } from './operations';

/** What one step did, as the packet records it. */
export interface StepRecord {
  name: string;
  command: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs the steps in order, stopping at the first that fails. In a dry run nothing is
 * executed: each step records the command it would run. When executing, `${VAR}` in an
 * argument is filled from `env` (never recorded: the packet keeps the display form).
 */
export async function runSteps(
  steps: GuardedStep[],
  options: { execute: boolean; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ records: StepRecord[]; ok: boolean }> {
  const records: StepRecord[] = [];
  for (const step of steps) {
    if (!options.execute) {
      records.push({
        name: step.name,
        command: step.display,
        stdout: `DRY RUN: would run: ${step.display}\n`,
        stderr: '',
        exitCode: 0,
      });
      continue;
    }
    const missing: string[] = [];
    const argv = step.argv.map(a =>
      a.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
        const value = options.env[name];
        if (value === undefined) missing.push(name);
        return value ?? '';
      }),
    );
    if (missing.length > 0) {
      records.push({
        name: step.name,
        command: step.display,
        stdout: '',
        stderr: `Not run: ${[...new Set(missing)].join(
          ', ',
        )} not set in the scaffolder's environment\n`,
        exitCode: 127,
      });
      return { records, ok: false };
    }
    const result = await new Promise<StepRecord>(resolve => {
      execFile(
        argv[0],
        argv.slice(1),
        { timeout: options.timeoutMs, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) => {
          let code = 0;
          if (error) {
            const errno = (error as { code?: unknown }).code;
            code = typeof errno === 'number' ? errno : 127;
          }
          resolve({
            name: step.name,
            command: step.display,
            stdout: String(stdout),
            stderr: `${String(stderr)}${
              error && code === 127 ? `${error.message}\n` : ''
            }`,
            exitCode: code,
          });
        },
      );
    });
    if (
      result.exitCode === 0 &&
      step.expect &&
      !step.expect.test(result.stdout)
    ) {
      result.exitCode = 1;
      result.stderr += `Expected output matching ${step.expect} was not seen; stopping here\n`;
    }
    records.push(result);
    if (result.exitCode !== 0) return { records, ok: false };
  }
  return { records, ok: true };
}
