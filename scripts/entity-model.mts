#!/usr/bin/env node
// Writes docs/entity-model.md from the zod schemas in plugins/fabric-common (the single source
// of truth of the entity model), so the page never drifts from what the catalog enforces.
//
//   yarn docs:entity-model            rewrite the page
//   yarn docs:entity-model --check    exit 1 when the committed page differs
//
// plugins/fabric-common/src/docs/entityModelDoc.test.ts runs the same comparison in CI.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The schemas are TypeScript sources; load them through the Backstage CLI's node transform.
require('@backstage/cli/config/nodeTransform.cjs');

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const { renderEntityModelDoc } = require(path.join(
  repoRoot,
  'plugins/fabric-common/src/docs/entityModelDoc.ts',
)) as typeof import('../plugins/fabric-common/src/docs/entityModelDoc');

const target = path.join(repoRoot, 'docs/entity-model.md');
const rendered = renderEntityModelDoc(file =>
  fs.readFileSync(path.join(repoRoot, file), 'utf8'),
);
const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';

if (process.argv.includes('--check')) {
  if (current !== rendered) {
    process.stderr.write(
      'docs/entity-model.md differs from the zod schemas; run yarn docs:entity-model\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/entity-model.md matches the zod schemas\n');
} else if (current === rendered) {
  process.stdout.write('docs/entity-model.md is up to date\n');
} else {
  fs.writeFileSync(target, rendered);
  process.stdout.write('docs/entity-model.md written\n');
}
