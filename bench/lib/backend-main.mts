// Child process of the benchmark suite: boots the real backend composition
// (packages/backend/src/backend.ts, createFabricBackend) with the `--config` files it is given.
// Started and stopped by bench/lib/backend.mts; the TypeScript of the backend and plugins is
// loaded through the Backstage CLI's node transform, as `yarn workspace backend start` does.
import fs from 'node:fs';
import inspector from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('@backstage/cli/config/nodeTransform.cjs');
const { createFabricBackend } =
  require('../../packages/backend/src/backend.ts') as typeof import('../../packages/backend/src/backend');

// Opt-in CPU profiling for bench/profile-gate.mts: with FABRIC_BENCH_CPU_PROFILE_DIR set, each
// SIGUSR2 starts or stops a V8 CPU profile of this process and writes it to that folder.
const profileDir = process.env.FABRIC_BENCH_CPU_PROFILE_DIR;
if (profileDir) {
  const session = new inspector.Session();
  session.connect();
  let profiling = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 250 }, () =>
          session.post('Profiler.start', () =>
            process.stdout.write('cpu profile started\n'),
          ),
        ),
      );
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu profile failed: ${error}\n`);
        return;
      }
      const file = path.join(profileDir, `backend-${++count}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
      process.stdout.write(`cpu profile written: ${file}\n`);
    });
  });
}

const backend = createFabricBackend({ argv: process.argv });

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await backend.stop();
  } finally {
    process.exit(0);
  }
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

backend.start().catch(error => {
  process.stderr.write(
    `bench backend failed to start: ${
      error instanceof Error ? error.stack : error
    }\n`,
  );
  process.exit(1);
});
