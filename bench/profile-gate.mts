#!/usr/bin/env node
// Where does a gate request spend its CPU time? Boots the backend like `yarn bench --only gate`
// (bench/lib/backend.mts), submits the same proposal, then records a V8 CPU profile of the
// backend process while autocannon loads (1) the gate and (2) the root health route, which
// passes the same root middleware but no plugin, auth or database code (the framework's
// ceiling on this machine). Prints the top self-time functions and packages of each profile.
//
//   node bench/profile-gate.mts [--seconds 10] [--route gate|domain]
//
// `--route domain` profiles one domain question (`/api/fabric-query/planes?type=network`, the
// repository's sample catalog in the read model) with the same CI token instead of the gate.
//
// The .cpuprofile files (open them in Chrome DevTools) are kept in bench/results/profiles.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { log, repoRoot, sleep, waitFor } from './lib/common.mts';
import { CI_TOKEN, getJson, startBackend } from './lib/backend.mts';
import { prepareGate, waitForQuiet } from './gate.mts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 10;
const route = args.includes('--route')
  ? args[args.indexOf('--route') + 1]
  : 'gate';
if (route !== 'gate' && route !== 'domain') {
  throw new Error(`--route ${route}: use gate or domain`);
}
const outDir = path.join(repoRoot, 'bench/results/profiles');
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
process.env.FABRIC_BENCH_CPU_PROFILE_DIR = outDir;

function where(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  return path.relative(repoRoot, url.replace(/^file:\/\//, ''));
}

function summarise(file: string, label: string) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes: ProfileNode[] = profile.nodes;
  const total = nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const idle = nodes
    .filter(n => n.callFrame.functionName === '(idle)')
    .reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const busy = total - idle;
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const node of nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits || node.callFrame.functionName === '(idle)') continue;
    const pkg = where(node.callFrame.url);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}:${
      node.callFrame.lineNumber + 1
    }`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + hits);
  }
  // Inclusive time of a few subsystems (outermost matching frame only).
  const byId = new Map(nodes.map(n => [n.id, n]));
  const subtree = (node: ProfileNode): number =>
    (node.hitCount ?? 0) +
    (node.children ?? []).reduce((n, id) => n + subtree(byId.get(id)!), 0);
  const inclusive = new Map<string, number>();
  // Middleware calls the next one synchronously, so a package's inclusive time would contain
  // everything after it; these groups are leaf subsystems (or named functions) instead.
  const pkgIs = (re: RegExp) => (n: ProfileNode) =>
    re.test(where(n.callFrame.url));
  const fnIs = (re: RegExp) => (n: ProfileNode) =>
    re.test(n.callFrame.functionName);
  const groups: Array<[string, (n: ProfileNode) => boolean]> = [
    [
      'request log (winston, logform, colors)',
      pkgIs(/^(winston|logform|@colors\/colors|winston-transport)$/),
    ],
    ['knex + better-sqlite3 + tarn', pkgIs(/^(knex|better-sqlite3|tarn)$/)],
    ['zod', pkgIs(/^zod$/)],
    ['jose (token header decoding)', pkgIs(/^jose$/)],
    ['httpAuth.credentials / auth', fnIs(/^(credentials|authenticate)$/)],
    ['permissions authorize*', fnIs(/^authorize(Conditional)?$/)],
    ['GateService.evaluateChange', fnIs(/^evaluateChange$/)],
    [
      'QueryService.query (domain)',
      (n: ProfileNode) =>
        n.callFrame.functionName === 'query' &&
        /fabric-query-backend\/src\/service\/QueryService/.test(
          n.callFrame.url,
        ),
    ],
    ['res.json', fnIs(/^json$/)],
    [
      'socket writes (writev/writeUtf8String)',
      fnIs(/^(writev|writeUtf8String|writeBuffer)$/),
    ],
    ['garbage collector', fnIs(/^\(garbage collector\)$/)],
  ];
  const walk = (node: ProfileNode, inside: Set<string>) => {
    const here = new Set(inside);
    for (const [name, match] of groups) {
      if (!inside.has(name) && match(node)) {
        inclusive.set(name, (inclusive.get(name) ?? 0) + subtree(node));
        here.add(name);
      }
    }
    for (const id of node.children ?? []) walk(byId.get(id)!, here);
  };
  walk(nodes[0], new Set());
  const pct = (n: number) => `${((100 * n) / busy).toFixed(1)}%`.padStart(6);
  const lines = [
    `== ${label}: ${busy} busy samples of ${total} (${(
      (100 * busy) /
      total
    ).toFixed(0)}% busy)`,
    '-- self time by package/file',
    ...[...byPkg]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${pct(v)}  ${k}`),
    '-- self time by function',
    ...[...byFn]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, v]) => `${pct(v)}  ${k}`),
    '-- inclusive time of subsystems',
    ...[...inclusive].map(([k, v]) => `${pct(v)}  ${k}`),
    '',
  ];
  return lines.join('\n');
}

async function profiled(
  pid: number,
  label: string,
  url: string,
  headers: Record<string, string>,
) {
  await autocannon({ url, connections: 50, duration: 3, headers });
  const before = new Set(fs.readdirSync(outDir));
  process.kill(pid, 'SIGUSR2');
  await sleep(300);
  const r = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    headers,
  });
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    await sleep(200);
    file = fs.readdirSync(outDir).find(f => !before.has(f));
  }
  if (!file) throw new Error('no profile written');
  const named = path.join(outDir, `${label}.cpuprofile`);
  fs.renameSync(path.join(outDir, file), named);
  log(
    `${label}: ${Math.round(r.requests.average)} req/s, p50 ${
      r.latency.p50
    } ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx} (while profiling)`,
  );
  return summarise(named, label);
}

async function main() {
  const backend = await startBackend({ label: 'profile', database: 'sqlite' });
  try {
    const routePath =
      route === 'gate'
        ? await prepareGate(backend)
        : '/api/fabric-query/planes?type=network&limit=20';
    const pid = backend.child.pid!;
    // Start-up work (the sample catalog's processing, the read model's first load) would
    // otherwise be profiled as the route's.
    await waitForQuiet(pid);
    if (route === 'domain') {
      // An empty read model would answer 200 with no items: a cheaper route than the real one.
      await waitFor(
        'the sample catalog in the read model',
        async () => {
          const { status, body } = await getJson(
            `${backend.baseUrl}${routePath}`,
            CI_TOKEN,
          );
          return status === 200 && body.items?.length > 0 ? true : undefined;
        },
        120_000,
      );
    }
    const out = [
      await profiled(pid, route, `${backend.baseUrl}${routePath}`, {
        authorization: `Bearer ${CI_TOKEN}`,
      }),
      await profiled(
        pid,
        'health',
        `${backend.baseUrl}/.backstage/health/v1/liveness`,
        {},
      ),
    ].join('\n');
    fs.writeFileSync(path.join(outDir, 'summary.txt'), out);
    process.stdout.write(out);
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
