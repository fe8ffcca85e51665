#!/usr/bin/env node
// Builds every runbook under techdocs/ with the TechDocs generator (the same library the
// TechDocs backend uses, running the machine's mkdocs) into a publish tree laid out as
// <out>/default/resource/<runbook-id>/ — the layout TechDocs publishers serve from.
//
//   node scripts/techdocs-build.mts [--out <dir>]
//
// Local default (no --out): writes into the local publisher's own folder, so the backend serves
// every runbook and search indexes them at start. Production: CI runs it with --out and syncs
// that folder to the TechDocs bucket (see README).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// Backstage packages ship CommonJS builds that Node loads reliably; their ESM builds are meant
// for bundlers, so load them through require.
const require = createRequire(import.meta.url);
const { ConfigReader } =
  require('@backstage/config') as typeof import('@backstage/config');
const { ScmIntegrations } =
  require('@backstage/integration') as typeof import('@backstage/integration');
const { TechdocsGenerator } =
  require('@backstage/plugin-techdocs-node') as typeof import('@backstage/plugin-techdocs-node');
const winston = require('winston') as typeof import('winston');

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const outIndex = process.argv.indexOf('--out');
// The local publisher's default folder: <techdocs-backend package>/static/docs.
const localPublishDir = path.join(
  path.dirname(
    require.resolve('@backstage/plugin-techdocs-backend/package.json'),
  ),
  'static/docs',
);
const outRoot =
  outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : localPublishDir;

const config = new ConfigReader({
  techdocs: {
    generator: { runIn: 'local', mkdocs: { omitTechdocsCorePlugin: true } },
  },
});
const logger = winston.createLogger({
  level: process.env.TECHDOCS_VERBOSE ? 'debug' : 'warn',
  transports: [new winston.transports.Console()],
});
const generator = TechdocsGenerator.fromConfig(config, {
  logger,
  scmIntegrations: ScmIntegrations.fromConfig(config),
} as any);

const techdocsDir = path.join(repoRoot, 'techdocs');
const ids = fs
  .readdirSync(techdocsDir, { withFileTypes: true })
  .filter(
    d =>
      d.isDirectory() &&
      fs.existsSync(path.join(techdocsDir, d.name, 'mkdocs.yml')),
  )
  .map(d => d.name)
  .sort();

async function main() {
  const started = Date.now();
  for (const id of ids) {
    const outputDir = path.join(outRoot, 'default', 'resource', id);
    // The generator edits mkdocs.yml in place; build from a scratch copy so the repo stays clean.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `techdocs-${id}-`));
    fs.cpSync(path.join(techdocsDir, id), scratch, { recursive: true });
    fs.rmSync(outputDir, { recursive: true, force: true });
    fs.mkdirSync(outputDir, { recursive: true });
    try {
      await generator.run({
        inputDir: scratch,
        outputDir,
        logger,
        etag: `fabric-${Date.now()}`,
        siteOptions: { name: id },
      });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `techdocs-build: built ${ids.length} runbooks into ${
      path.relative(repoRoot, outRoot) || outRoot
    } in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`techdocs-build: ${error.message}\n`);
  process.exit(1);
});
