import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogLookup } from '../service/catalogChecks';

/** Looks entities up in memory, case-insensitively like the catalog does. */
export function inMemoryCatalog(entities: Entity[]): CatalogLookup {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  return {
    async getEntity(ref) {
      return byRef.get(ref.toLocaleLowerCase('en-US'));
    },
  };
}
