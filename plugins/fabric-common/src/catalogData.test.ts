import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { parseFabricEntity } from './parse';
import { checkZakonApproval } from './zakon';
import { ladderProblems, nextRung } from './ladder';

// The repository's own catalog is the reference data set: every Fabric
// entity reachable from catalog/all.yaml must pass the schemas and every ZAKON
// rule the gate.
const rootLocation = path.resolve(__dirname, '../../../catalog/all.yaml');

/** Follows Location targets (relative, possibly globs) like the catalog does. */
function loadCatalogEntities(): Entity[] {
  const files = [rootLocation];
  const entities: Entity[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const entity = doc.toJS() as Entity | null;
      if (!entity) continue;
      entities.push(entity);
      if (entity.kind === 'Location') {
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
  }
  return entities;
}

describe('the repository catalog', () => {
  const entities = loadCatalogEntities();

  it('contains every Fabric kind and fabric component type', () => {
    const kinds = new Set(entities.map(e => e.kind));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['Plane', 'Tenant', 'ZakonRule', 'Component']),
    );
    const types = new Set(entities.map(e => e.spec?.type));
    expect([...types]).toEqual(expect.arrayContaining(['service', 'website']));
  });

  it.each(entities.map(e => [`${e.kind}:${e.metadata.name}`, e] as const))(
    '%s passes the Fabric schemas',
    (_ref, entity) => {
      const result = parseFabricEntity(entity);
      // Shows the readable problems when the entity is rejected.
      expect(
        result && !result.success ? result.message : undefined,
      ).toBeUndefined();
    },
  );

  it.each(
    entities
      .filter(e => e.kind === 'ZakonRule')
      .map(e => [e.metadata.name, e] as const),
  )('ZAKON rule %s passes the approval gate', (_name, entity) => {
    expect(checkZakonApproval(entity)).toEqual(
      expect.objectContaining({ approved: true }),
    );
  });

  it('holds consistent environment ladders', () => {
    expect(ladderProblems(entities)).toEqual([]);
    expect(nextRung(entities, 'local-parity')?.metadata.name).toBe('dev');
    expect(nextRung(entities, 'dev')?.metadata.name).toBe('prod');
    expect(nextRung(entities, 'samakia-staging')?.metadata.name).toBe(
      'samakia-prod',
    );
    expect(nextRung(entities, 'carbon-local')?.metadata.name).toBe(
      'carbon-dev',
    );
    expect(nextRung(entities, 'samakia-minio')).toBeUndefined();
  });

  it('puts the infra planes in their own Terraform environments', () => {
    const planes = entities.filter(e => e.kind === 'Plane');
    for (const name of ['dns', 'minio', 'shared']) {
      const plane = planes.find(p => p.metadata.name === name);
      expect(plane?.spec?.environment).toBe(`samakia-${name}`);
    }
  });
});
