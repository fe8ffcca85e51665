import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Performs the steps of a Dockerfile outside a container: there is no container daemon on the
// build machines, so the image is never built there, but everything it does is. The image's
// file system is a folder (`rootfs`); image paths like /app map to `<rootfs>/app`.
//
// Only the instructions packages/backend/Dockerfile uses are understood; anything else throws,
// so a new instruction in the Dockerfile cannot be skipped here without anyone noticing.

export interface DockerfileStep {
  instruction: string;
  args: string;
}

export interface ImageResult {
  rootfs: string;
  /** FROM, as written. */
  from: string;
  /** Debian packages the apt-get RUN steps install (not installed here: the host provides). */
  aptPackages: string[];
  env: Record<string, string>;
  user: string;
  workdir: string;
  cmd: string[];
  exposed: number[];
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
export function parseDockerfile(text: string): DockerfileStep[] {
  const steps: DockerfileStep[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^([A-Z]+)\s+([\s\S]*)$/.exec(full);
    if (!match) throw new Error(`Dockerfile: cannot read "${full}"`);
    steps.push({ instruction: match[1], args: match[2].trim() });
  }
  return steps;
}

/**
 * A .dockerignore of the form this repository uses: `*` (everything) followed by `!path`
 * re-inclusions of exact paths. Other pattern forms throw rather than being half-understood.
 */
export function dockerignoreFilter(text: string): (relPath: string) => boolean {
  const rules = text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => {
      const include = l.startsWith('!');
      const pattern = include ? l.slice(1) : l;
      if (pattern !== '*' && /[*?[\]]/.test(pattern)) {
        throw new Error(`.dockerignore pattern not supported here: ${l}`);
      }
      return { include, pattern };
    });
  return relPath => {
    let included = true;
    for (const { include, pattern } of rules) {
      const matches =
        pattern === '*' ||
        relPath === pattern ||
        relPath.startsWith(`${pattern}/`) ||
        // A directory on the way to an included path must be walked into.
        (include && pattern.startsWith(`${relPath}/`));
      if (matches) included = include;
    }
    return included;
  };
}

function copyFiltered(
  context: string,
  rel: string,
  dest: string,
  included: (relPath: string) => boolean,
) {
  const src = path.join(context, rel);
  const stat = fs.statSync(src);
  if (stat.isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const entry of fs.readdirSync(src)) {
      const child = path.posix.join(rel, entry);
      if (included(child)) {
        copyFiltered(context, child, path.join(dest, entry), included);
      }
    }
  } else {
    fs.copyFileSync(src, dest);
  }
}

/** The value of an ENV instruction: `KEY=value` or `KEY="value with spaces"`. */
function parseEnv(args: string): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))$/.exec(args);
  if (!match) throw new Error(`Dockerfile: ENV form not supported: ${args}`);
  return [match[1], match[2] ?? match[3]];
}

/**
 * Runs the Dockerfile's steps with `context` as the build context into `rootfs`.
 * `runEnv` is the environment RUN steps get besides the image's ENV (e.g. the registry
 * settings of this machine); `binDir` holds stand-ins for the base image's tools (yarn).
 */
export function performDockerfile(options: {
  dockerfile: string;
  context: string;
  rootfs: string;
  runEnv: NodeJS.ProcessEnv;
  binDir: string;
  log: (line: string) => void;
  /** Steps [from, to) only, continuing from `state` (a cached layer, as Docker reuses one). */
  from?: number;
  to?: number;
  state?: ImageResult;
}): ImageResult {
  const { context, rootfs } = options;
  const included = dockerignoreFilter(
    fs.readFileSync(path.join(context, '.dockerignore'), 'utf8'),
  );
  const steps = parseDockerfile(fs.readFileSync(options.dockerfile, 'utf8'));
  const result: ImageResult = options.state
    ? { ...structuredClone(options.state), rootfs }
    : {
        rootfs,
        from: '',
        aptPackages: [],
        env: {},
        user: 'root',
        workdir: '/',
        cmd: [],
        exposed: [],
      };
  const inImage = (p: string) =>
    path.join(rootfs, path.posix.resolve(result.workdir, p));

  for (const { instruction, args } of steps.slice(
    options.from ?? 0,
    options.to ?? steps.length,
  )) {
    options.log(`${instruction} ${args}`);
    switch (instruction) {
      case 'FROM':
        result.from = args;
        break;
      case 'ENV': {
        const [key, value] = parseEnv(args);
        result.env[key] = value;
        break;
      }
      case 'USER':
        result.user = args;
        break;
      case 'WORKDIR':
        result.workdir = path.posix.resolve(result.workdir, args);
        fs.mkdirSync(inImage('.'), { recursive: true });
        break;
      case 'EXPOSE':
        result.exposed.push(...args.split(/\s+/).map(Number));
        break;
      case 'CMD':
        result.cmd = JSON.parse(args);
        break;
      case 'COPY': {
        const parts = args.split(/\s+/).filter(a => !a.startsWith('--'));
        const dest = parts.pop()!;
        for (const src of parts) {
          if (!included(src)) {
            throw new Error(`COPY ${src}: excluded by .dockerignore`);
          }
          if (!fs.existsSync(path.join(context, src))) {
            throw new Error(`COPY ${src}: not in the build context`);
          }
          const isDir = fs.statSync(path.join(context, src)).isDirectory();
          const target =
            dest.endsWith('/') || parts.length > 1
              ? path.join(inImage(dest), isDir ? '' : path.basename(src))
              : inImage(dest);
          fs.mkdirSync(isDir ? target : path.dirname(target), {
            recursive: true,
          });
          copyFiltered(context, src, target, included);
        }
        break;
      }
      case 'RUN': {
        const command = args.replace(/--mount=\S+\s+/g, '');
        if (/\bapt-get\b/.test(command)) {
          // System packages come from the host (scripts/setup.sh); record what the image adds.
          const install = /apt-get install ([^&]*)/.exec(command);
          result.aptPackages.push(
            ...(install?.[1] ?? '')
              .split(/\s+/)
              .filter(p => p && !p.startsWith('-')),
          );
          break;
        }
        execFileSync('bash', ['-euo', 'pipefail', '-c', command], {
          cwd: inImage('.'),
          env: {
            ...options.runEnv,
            ...result.env,
            PATH: `${options.binDir}:${options.runEnv.PATH ?? ''}`,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 256 * 1024 * 1024,
        });
        break;
      }
      default:
        throw new Error(`Dockerfile: ${instruction} is not performed here`);
    }
  }
  return result;
}
