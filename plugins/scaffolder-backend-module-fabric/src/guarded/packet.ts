import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { StepRecord } from './runner';

/** What a guarded run did, for its evidence packet. */
export interface GuardedRunRecord {
  operation: string;
  target: string;
  mode: 'dry-run' | 'execute';
  proposalId: string;
  tenant: string;
  actor: string;
  entities: string[];
  params: Record<string, string>;
  records: StepRecord[];
  ok: boolean;
  startedAt: string;
}

function listFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory()
        ? listFiles(dir, path.posix.join(rel, e.name))
        : [path.posix.join(rel, e.name)],
    );
}

/**
 * Writes the packet of a guarded run in the layout of evidence-common (summary.md,
 * packet.json, steps/NN-name/{stdout.log,stderr.log,exit_code}, manifest.sha256, and
 * manifest.sha256.asc when a gpg key is configured) and packs it as tar.gz.
 */
export async function writeGuardedPacket(
  dir: string,
  run: GuardedRunRecord,
  options: { signingKey?: string; gnupgHome?: string },
): Promise<{ archive: string; result: 'PASS' | 'FAIL' }> {
  fs.mkdirSync(dir, { recursive: true });
  const result = run.ok ? 'PASS' : 'FAIL';
  run.records.forEach((r, i) => {
    const step = path.join(
      dir,
      'steps',
      `${String(i + 1).padStart(2, '0')}-${r.name}`,
    );
    fs.mkdirSync(step, { recursive: true });
    fs.writeFileSync(path.join(step, 'stdout.log'), r.stdout);
    fs.writeFileSync(path.join(step, 'stderr.log'), r.stderr);
    fs.writeFileSync(path.join(step, 'exit_code'), `${r.exitCode}\n`);
  });
  fs.writeFileSync(
    path.join(dir, 'packet.json'),
    `${JSON.stringify(
      {
        title: `${run.operation} ${run.target} (${run.mode}): ${result}`,
        result,
        tenant: run.tenant,
        entities: run.entities,
        target: run.operation,
        proposal: run.proposalId,
        mode: run.mode,
        actor: run.actor,
        parameters: run.params,
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'summary.md'),
    [
      `# ${run.operation} ${run.target}: ${result}`,
      '',
      `- Mode: ${
        run.mode === 'dry-run' ? 'dry run (nothing was executed)' : 'executed'
      }`,
      `- Approved proposal: ${run.proposalId} (${run.tenant})`,
      `- Run by: ${run.actor}`,
      `- Started: ${run.startedAt}`,
      '',
      '| Step | Command | Exit code |',
      '| --- | --- | --- |',
      ...run.records.map(
        (r, i) => `| ${i + 1}. ${r.name} | \`${r.command}\` | ${r.exitCode} |`,
      ),
      '',
    ].join('\n'),
  );
  const sha = (file: string) =>
    createHash('sha256')
      .update(fs.readFileSync(path.join(dir, file)))
      .digest('hex');
  fs.writeFileSync(
    path.join(dir, 'manifest.sha256'),
    `${listFiles(dir)
      .sort()
      .map(f => `${sha(f)}  ${f}`)
      .join('\n')}\n`,
  );
  if (options.signingKey) {
    const gpg = spawnSync(
      'gpg',
      [
        ...(options.gnupgHome ? ['--homedir', options.gnupgHome] : []),
        '--batch',
        '--yes',
        '--armor',
        '--local-user',
        options.signingKey,
        '--detach-sign',
        '--output',
        path.join(dir, 'manifest.sha256.asc'),
        path.join(dir, 'manifest.sha256'),
      ],
      { encoding: 'utf8' },
    );
    if (gpg.status !== 0) {
      throw new Error(`gpg could not sign the packet: ${gpg.stderr.trim()}`);
    }
  }
  const archive = `${dir}.tar.gz`;
  await tar.c({ gzip: true, file: archive, cwd: dir, portable: true }, ['.']);
  return { archive, result };
}
