import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Files of a typical acceptance packet (redacted, no secrets). */
export function acceptanceFiles(
  title = 'project-birds substrate acceptance',
): Record<string, string> {
  return {
    'summary.md': `# ${title}\n\nResult: **PASS**. Two steps ran; both exited 0.\n`,
    'packet.json': JSON.stringify({ title, result: 'PASS' }),
    'steps/01-plan/stdout.log':
      'planning substrate consumers\nplan: 0 to add, 0 to change\n',
    'steps/01-plan/stderr.log': '',
    'steps/01-plan/exit_code': '0\n',
    'steps/02-verify/stdout.log':
      'postgres-birds.infra.samakia.net:5432 reachable\nrabbitmq reachable\nOK\n',
    'steps/02-verify/stderr.log': '',
    'steps/02-verify/exit_code': '0\n',
  };
}

/**
 * Writes `files` into `dir` and, unless told otherwise, a `manifest.sha256`
 * made by the real `sha256sum` over every file (run inside the packet, as the
 * organisation's scripts do).
 */
export function writePacket(
  dir: string,
  files: Record<string, string>,
  options: { manifest?: boolean } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  if (options.manifest !== false) {
    const names = Object.keys(files).sort();
    const sums = execFileSync('sha256sum', ['--', ...names], {
      cwd: dir,
      encoding: 'utf8',
    });
    fs.writeFileSync(path.join(dir, 'manifest.sha256'), sums);
  }
  return dir;
}

/** `tar -czf` of a folder's content (entries `./...`), as CI would upload it. */
export function tarGz(dir: string, out: string): string {
  execFileSync('tar', ['-czf', out, '-C', dir, '.']);
  return out;
}
