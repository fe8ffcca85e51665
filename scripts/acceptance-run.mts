#!/usr/bin/env node
// Run one acceptance or guard target and keep its run as an evidence packet: what CI or an
// operator runs instead of calling `make <target>` bare.
//
//   node scripts/acceptance-run.mts --target minio.quorum.guard \
//     --entity component:default/minio --observe quorum=ok \
//     -- env ENV=samakia-minio make minio.quorum.guard
//
// The packet (one step, the layout of plugins/evidence-common/src/layout.ts):
//   <out>/evidence/<area: acceptance>/<subject: the target>/<UTC timestamp>/
//     summary.md  packet.json  steps/01-<target>/{stdout.log,stderr.log,exit_code}  manifest.sha256
//   [manifest.sha256.asc]  with --sign <gpg key id>
// Then, unless --no-upload, it is uploaded as tar.gz through the evidence upload API.
//
// Options:
//   --target <name>        the acceptance/guard target, e.g. dns.accept (required)
//   --entity <ref>         catalog entity the run proves something about (repeatable)
//   --observe <key=value>  an observation the health card shows, e.g. vipHolder=minio-edge-1,
//                          quorum=ok|lost (repeatable)
//   --area <area>          evidence area (default acceptance)
//   --subject <subject>    evidence subject (default: the target), e.g. phase1-12
//   --out <dir>            where to write the packet (default: a fresh temporary folder)
//   --timestamp <UTC>      the packet's timestamp (default: now), e.g. 2026-01-02T17:07:50Z
//   --sign <key id>        sign the manifest with gpg (detached, armored)
//   --no-upload            only write the packet
// Environment: FABRIC_PORTAL_URL (default http://localhost:7007), FABRIC_CI_TOKEN (for upload).
// Exit code: the target's own exit code; 2 for bad usage, 3 when the upload fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Options = {
  target: string;
  area: string;
  subject: string;
  entities: string[];
  observations: Record<string, string>;
  out?: string;
  timestamp: string;
  sign?: string;
  upload: boolean;
  command: string[];
};

const TARGET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ENTITY_REF =
  /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;
const OBSERVATION = /^([A-Za-z][A-Za-z0-9]{0,39})=([A-Za-z0-9._:-]{1,100})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function usage(message: string): never {
  process.stderr.write(`acceptance-run: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/acceptance-run.mts --target T [--entity REF]... [--observe k=v]... [--out DIR] [--timestamp UTC] [--sign KEY] [--no-upload] -- <command...>\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[], now: Date): Options {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  const options: Partial<Options> & {
    entities: string[];
    observations: Record<string, string>;
  } = {
    entities: [],
    observations: {},
    upload: true,
    timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  for (let i = 0; i < own.length; i++) {
    const flag = own[i];
    const value = () => {
      const v = own[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--target') options.target = value();
    else if (flag === '--entity') options.entities.push(value());
    else if (flag === '--observe') {
      const v = value();
      const m = OBSERVATION.exec(v);
      if (!m) {
        usage(
          `--observe ${JSON.stringify(
            v,
          )} is not key=value (key: letters and digits; value: letters, digits, . _ : -), e.g. vipHolder=minio-edge-1`,
        );
      }
      options.observations[m[1]] = m[2];
    } else if (flag === '--area') options.area = value();
    else if (flag === '--subject') options.subject = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--timestamp') options.timestamp = value();
    else if (flag === '--sign') options.sign = value();
    else if (flag === '--no-upload') options.upload = false;
    else usage(`unknown option ${JSON.stringify(flag)}`);
  }
  if (!options.target || !TARGET.test(options.target)) {
    usage(
      '--target is missing or not a target name (letters, digits, . _ -), e.g. minio.quorum.guard',
    );
  }
  for (const ref of options.entities) {
    if (!ENTITY_REF.test(ref)) {
      usage(
        `--entity ${JSON.stringify(
          ref,
        )} is not a full entity ref, e.g. component:default/minio`,
      );
    }
  }
  options.area ??= 'acceptance';
  options.subject ??= options.target;
  if (
    !TARGET.test(options.area) ||
    options.subject.split('/').some(segment => !TARGET.test(segment))
  ) {
    usage(
      '--area and --subject must be path segments (letters, digits, . _ -), e.g. --area milestones --subject phase1-12',
    );
  }
  if (!TIMESTAMP.test(options.timestamp!)) {
    usage('--timestamp must be a UTC time like 2026-01-02T17:07:50Z');
  }
  if (command.length === 0) usage('give the command to run after --');
  return { ...(options as Options), command };
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory()
        ? listFiles(dir, path.posix.join(prefix, e.name))
        : [path.posix.join(prefix, e.name)],
    );
}

/** Writes the packet and returns its folder and the target's exit code. */
function writePacket(options: Options): { dir: string; exitCode: number } {
  const root =
    options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'acceptance-'));
  const dir = path.join(
    root,
    'evidence',
    options.area,
    ...options.subject.split('/'),
    options.timestamp,
  );
  if (fs.existsSync(dir)) usage(`${dir} exists already; use a new --timestamp`);
  const stepDir = path.join(dir, 'steps', `01-${options.target}`);
  fs.mkdirSync(stepDir, { recursive: true });

  const run = spawnSync(options.command[0], options.command.slice(1), {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  const exitCode = run.error ? 127 : run.status ?? 128;
  fs.writeFileSync(path.join(stepDir, 'stdout.log'), run.stdout ?? '');
  fs.writeFileSync(
    path.join(stepDir, 'stderr.log'),
    run.error ? `${run.error.message}\n` : run.stderr ?? '',
  );
  fs.writeFileSync(path.join(stepDir, 'exit_code'), `${exitCode}\n`);

  const result = exitCode === 0 ? 'PASS' : 'FAIL';
  const observations = Object.entries(options.observations);
  fs.writeFileSync(
    path.join(dir, 'packet.json'),
    `${JSON.stringify(
      {
        title: `${options.target}: ${result}`,
        result,
        entities: options.entities,
        target: options.target,
        ...(observations.length ? { observations: options.observations } : {}),
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'summary.md'),
    [
      `# ${options.target}: ${result}`,
      '',
      `- Command: \`${options.command.join(' ')}\``,
      `- Exit code: ${exitCode}`,
      `- Started: ${options.timestamp}`,
      ...(options.entities.length
        ? [`- Proves: ${options.entities.join(', ')}`]
        : []),
      ...observations.map(([k, v]) => `- Observed ${k}: ${v}`),
      '',
      'Output: `steps/01-' + options.target + '/stdout.log` and `stderr.log`.',
      '',
    ].join('\n'),
  );
  const manifest = listFiles(dir)
    .sort()
    .map(file => `${sha256(path.join(dir, file))}  ${file}`)
    .join('\n');
  fs.writeFileSync(path.join(dir, 'manifest.sha256'), `${manifest}\n`);
  if (options.sign) {
    const gpg = spawnSync(
      'gpg',
      [
        '--batch',
        '--yes',
        '--armor',
        '--local-user',
        options.sign,
        '--detach-sign',
        '--output',
        path.join(dir, 'manifest.sha256.asc'),
        path.join(dir, 'manifest.sha256'),
      ],
      { encoding: 'utf8' },
    );
    if (gpg.status !== 0) usage(`gpg could not sign: ${gpg.stderr.trim()}`);
  }
  return { dir, exitCode };
}

async function upload(options: Options, dir: string): Promise<void> {
  const token = process.env.FABRIC_CI_TOKEN;
  if (!token)
    usage('FABRIC_CI_TOKEN is not set; use --no-upload to only write');
  const archive = path.join(path.dirname(dir), `${options.timestamp}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', archive, '-C', dir, '.'], {
    encoding: 'utf8',
  });
  if (tar.status !== 0) usage(`tar failed: ${tar.stderr.trim()}`);
  const base = process.env.FABRIC_PORTAL_URL ?? 'http://localhost:7007';
  const query = new URLSearchParams({
    area: options.area,
    subject: options.subject,
    timestamp: options.timestamp,
  });
  const res = await fetch(`${base}/api/evidence/packets?${query}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/gzip',
    },
    body: fs.readFileSync(archive),
  });
  const body = await res.text();
  fs.rmSync(archive);
  if (!res.ok) {
    process.stderr.write(
      `acceptance-run: upload answered ${res.status}: ${body}\n`,
    );
    process.exit(3);
  }
  process.stdout.write(`${body}\n`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2), new Date());
  const { dir, exitCode } = writePacket(options);
  process.stderr.write(
    `acceptance-run: ${options.target} exited ${exitCode}; packet ${dir}\n`,
  );
  if (options.upload) await upload(options, dir);
  process.exit(exitCode);
}

void main();
