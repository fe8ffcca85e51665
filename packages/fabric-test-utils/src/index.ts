/**
 * Test helpers shared by the backend tests: the repository's own catalog/
 * files are the reference data, so tests and the sample catalog never drift.
 *
 * @packageDocumentation
 */

import fs from 'node:fs';
import path from 'node:path';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

// This package sits at packages/fabric-test-utils; catalog/ is two levels up. It is only ever
// run from source by jest, never bundled, so __dirname is where the file is.
// eslint-disable-next-line no-restricted-syntax
const catalogDir = path.resolve(__dirname, '../../../catalog');

/** Every entity of one file in catalog/, as written. */
export function loadCatalogFile(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(path.join(catalogDir, file), 'utf8'))
    .map(doc => doc.toJS() as Entity | null)
    .filter((e): e is Entity => Boolean(e));
}

/** Every entity of the sample catalog (all files but the location list), in namespace default. */
export function loadRepoCatalog(): Entity[] {
  return fs
    .readdirSync(catalogDir)
    .filter(f => f.endsWith('.yaml') && f !== 'all.yaml')
    .flatMap(loadCatalogFile)
    .filter(e => e.kind !== 'Location')
    .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));
}

/**
 * The ownership refs the catalog sign-in resolver gives a user of
 * catalog/org.yaml: the user's own ref and the groups listed in memberOf.
 */
export function ownershipOf(userName: string): string[] {
  const name = userName.replace(/^user:(default\/)?/, '');
  const user = loadCatalogFile('org.yaml').find(
    e => e.kind === 'User' && e.metadata.name === name,
  );
  if (!user) throw new Error(`no user ${name} in catalog/org.yaml`);
  const groups = (user.spec?.memberOf as string[] | undefined) ?? [];
  return [
    stringifyEntityRef(user),
    ...groups.map(g => stringifyEntityRef({ kind: 'group', name: g })),
  ];
}

export { GpgHome } from './gpg';

export { CI_TOKEN } from './tokens';
