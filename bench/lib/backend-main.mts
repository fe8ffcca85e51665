// Child process of the benchmark suite: boots the real backend composition
// (packages/backend/src/backend.ts, createFabricBackend) with the `--config` files it is given.
// Started and stopped by bench/lib/backend.mts; the TypeScript of the backend and plugins is
// loaded through the Backstage CLI's node transform, as `yarn workspace backend start` does.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@backstage/cli/config/nodeTransform.cjs');
const { createFabricBackend } =
  require('../../packages/backend/src/backend.ts') as typeof import('../../packages/backend/src/backend');

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
