#!/usr/bin/env node
// Builds every runbook under techdocs/ and the portal's own documentation (mkdocs.yml and docs/
// at the repository root, entity component:default/fabric-portal) with the TechDocs generator
// (the same library the TechDocs backend uses, running the machine's mkdocs) into a publish tree
// laid out as <out>/<namespace>/<kind>/<name>/ — the layout TechDocs publishers serve from.
//
//   node scripts/techdocs-build.mts [--out <dir>] [--only <name>[,<name>...]]
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
// The etag the TechDocs backend computes for the same sources (a hash of what mkdocs reads), so
// an on-demand sync of an unchanged runbook finds it current and shows no "newer version" banner.
require('@backstage/cli/config/nodeTransform.cjs');
const { sourceEtag } =
  require('../plugins/techdocs-backend-module-fabric/src/sourceEtag.ts') as typeof import('../plugins/techdocs-backend-module-fabric/src/sourceEtag');

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
    generator: {
      runIn: 'local',
      // No Google Fonts link in the pages (as app-config.yaml): runbooks render offline.
      mkdocs: { omitTechdocsCorePlugin: true, disableExternalFonts: true },
    },
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

interface Site {
  /** Entity name; the publish folder is <out>/default/<kind>/<name>. */
  id: string;
  kind: string;
  /** Folder holding mkdocs.yml. */
  dir: string;
  /** What to copy from `dir`: everything (a runbook folder) or the named entries only. */
  entries?: string[];
}

const techdocsDir = path.join(repoRoot, 'techdocs');
const runbooks: Site[] = fs
  .readdirSync(techdocsDir, { withFileTypes: true })
  .filter(
    d =>
      d.isDirectory() &&
      fs.existsSync(path.join(techdocsDir, d.name, 'mkdocs.yml')),
  )
  .map(d => ({
    id: d.name,
    kind: 'resource',
    dir: path.join(techdocsDir, d.name),
  }))
  .sort((a, b) => a.id.localeCompare(b.id));
// The portal's own site sits at the repository root: copy only its config and pages, never the
// checkout (node_modules holds symlinks out of the tree, which the generator refuses).
const portal: Site = {
  id: 'fabric-portal',
  kind: 'component',
  dir: repoRoot,
  entries: ['mkdocs.yml', 'docs'],
};
const onlyIndex = process.argv.indexOf('--only');
const only =
  onlyIndex > 0 ? new Set(process.argv[onlyIndex + 1].split(',')) : undefined;
const sites = [portal, ...runbooks].filter(site => !only || only.has(site.id));

async function main() {
  const started = Date.now();
  for (const { id, kind, dir, entries } of sites) {
    const outputDir = path.join(outRoot, 'default', kind, id);
    // The generator edits mkdocs.yml in place; build from a scratch copy so the repo stays clean.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `techdocs-${id}-`));
    for (const entry of entries ?? ['.']) {
      fs.cpSync(path.join(dir, entry), path.join(scratch, entry), {
        recursive: true,
      });
    }
    fs.rmSync(outputDir, { recursive: true, force: true });
    fs.mkdirSync(outputDir, { recursive: true });
    try {
      await generator.run({
        inputDir: scratch,
        outputDir,
        logger,
        etag: sourceEtag(dir),
        siteOptions: { name: id },
      });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `techdocs-build: built ${sites.length} sites into ${
      path.relative(repoRoot, outRoot) || outRoot
    } in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`techdocs-build: ${error.message}\n`);
  process.exit(1);
});
