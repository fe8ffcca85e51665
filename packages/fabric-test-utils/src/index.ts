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
import { repoRoot } from './backend';

const catalogDir = path.join(repoRoot, 'catalog');

/** Every entity of one YAML file (any path), as written. */
function loadEntityFile(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS() as Entity | null)
    .filter((e): e is Entity => Boolean(e));
}

/** Every entity of one file in catalog/, as written. */
export function loadCatalogFile(file: string): Entity[] {
  return loadEntityFile(path.join(catalogDir, file));
}

/** The entity with namespace `default` unless it names its own (as the catalog reads it). */
export function inDefaultNamespace(entity: Entity): Entity {
  return { ...entity, metadata: { namespace: 'default', ...entity.metadata } };
}

/**
 * Every entity reachable from catalog/all.yaml as written, Locations included, following their
 * targets (relative, possibly globs) the way the catalog's file reader does.
 */
export function loadReachableCatalog(): Entity[] {
  const files = [path.join(catalogDir, 'all.yaml')];
  const entities: Entity[] = [];
  for (const file of files) {
    for (const entity of loadEntityFile(file)) {
      entities.push(entity);
      if (entity.kind !== 'Location') continue;
      const targets = [
        ...((entity.spec?.targets as string[]) ?? []),
        ...(entity.spec?.target ? [entity.spec.target as string] : []),
      ];
      for (const target of targets) {
        files.push(
          ...fs.globSync(path.resolve(path.dirname(file), target)).sort(),
        );
      }
    }
  }
  return entities;
}

/** Every entity of the sample catalog (all files but the location list), in namespace default. */
export function loadRepoCatalog(): Entity[] {
  return fs
    .readdirSync(catalogDir)
    .filter(f => f.endsWith('.yaml') && f !== 'all.yaml')
    .flatMap(loadCatalogFile)
    .filter(e => e.kind !== 'Location')
    .map(inDefaultNamespace);
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

export {
  configArgs,
  freePort,
  isReady,
  launchBackendProcess,
  logTail,
  loopbackConfig,
  processExit,
  repoRoot,
  stopProcess,
  waitFor,
} from './backend';

export { CI_TOKEN } from './tokens';

export { legacySigningKeyTableCases } from './legacySigningKeys';
