import fs from 'node:fs';
import path from 'node:path';

/**
 * An orchard-owned design document written by hand (no tenant label): the ownership half of the
 * tenancy rule must hide it on its own. Its words appear nowhere else in the repository, so a
 * search for them finds this document or nothing.
 */
export const ORCHARD_NOTES = {
  name: 'orchard-harvest-notes',
  ref: 'resource:default/orchard-harvest-notes',
  /** In the catalog description (catalog collator). */
  catalogTerm: 'zanzibarquince',
  /** Only in the TechDocs page text (TechDocs collator). */
  docsTerm: 'quetzalpressrota',
  /** Only in a static asset of the site. */
  assetSecret: 'orchard-asset-marker-7f3a',
};

/** The catalog file of {@link ORCHARD_NOTES}. */
export function writeOrchardNotesEntity(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'orchard-notes.yaml');
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: ORCHARD_NOTES.name,
        title: 'Orchard harvest notes',
        description: `Cider press rota and ${ORCHARD_NOTES.catalogTerm} supplier list of Project Orchard.`,
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
      },
      spec: {
        type: 'runbook',
        owner: 'group:default/team-orchard',
        dependencyOf: ['tenant:default/project-orchard', 'plane:default/dns'],
      },
    }),
  );
  return file;
}

/**
 * The built site of {@link ORCHARD_NOTES} as the TechDocs local publisher stores it (what
 * `techdocs-cli publish` or an on-demand build leaves): page, asset, metadata, search index.
 */
export function publishOrchardNotesSite(publishDirectory: string) {
  const site = path.join(
    publishDirectory,
    'default',
    'resource',
    ORCHARD_NOTES.name,
  );
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(site, 'search'), { recursive: true });
  fs.writeFileSync(
    path.join(site, 'index.html'),
    `<html><body><h1>Orchard harvest notes</h1><p>The ${ORCHARD_NOTES.docsTerm} starts at dawn.</p></body></html>`,
  );
  fs.writeFileSync(
    path.join(site, 'assets', 'orchard.css'),
    `/* ${ORCHARD_NOTES.assetSecret} */ body { color: green; }`,
  );
  fs.writeFileSync(
    path.join(site, 'techdocs_metadata.json'),
    JSON.stringify({
      site_name: 'Orchard harvest notes',
      site_description: 'Cider press rota',
      etag: 'fixture-1',
      build_timestamp: 1_700_000_000_000,
      files: ['index.html', 'assets/orchard.css', 'search/search_index.json'],
    }),
  );
  fs.writeFileSync(
    path.join(site, 'search', 'search_index.json'),
    JSON.stringify({
      config: { lang: ['en'], separator: '[\\s\\-]+', pipeline: [] },
      docs: [
        {
          location: '',
          title: 'Orchard harvest notes',
          text: `The ${ORCHARD_NOTES.docsTerm} starts at dawn.`,
        },
      ],
    }),
  );
}
