import {
  CatalogTable,
  type CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';

type ListContext = Parameters<CatalogTableColumnsFunc>[0];
type ListedEntity = ListContext['entities'][number];

const filled = (value: unknown) =>
  value !== undefined &&
  value !== null &&
  value !== '' &&
  !(Array.isArray(value) && value.length === 0);

/**
 * The stock columns shown only when at least one listed entity has a value, by the column's
 * field (the stock factories' fields). Name and Owner always stay; the rest of the catalog's own
 * kinds (Plane, Tenant, ZakonRule, ...) never fill System or Lifecycle, and some no Tags.
 */
const SHOWN_WHEN_FILLED: Record<string, (e: ListedEntity) => boolean> = {
  // CatalogTable resolves the System column from the entity's partOf relations to systems.
  'resolved.partOfSystemRelationTitle': e =>
    (e.relations ?? []).some(
      r => r.type === 'partOf' && r.targetRef.startsWith('system:'),
    ),
  'entity.spec.lifecycle': e => filled(e.spec?.lifecycle),
  'entity.spec.type': e => filled(e.spec?.type),
  'entity.metadata.description': e => filled(e.metadata.description),
  'entity.metadata.tags': e => filled(e.metadata.tags),
};

/**
 * The catalog index table's columns: the stock columns for the selected kind, less each
 * optional column that no listed entity fills (a table of planes has no System or Lifecycle
 * column of dashes). While nothing is listed yet, the stock columns are kept.
 */
export const fabricCatalogColumns: CatalogTableColumnsFunc = context => {
  const columns = CatalogTable.defaultColumnsFunc(context);
  if (context.entities.length === 0) return columns;
  return columns.filter(column => {
    const hasValue = SHOWN_WHEN_FILLED[String(column.field)];
    return !hasValue || context.entities.some(hasValue);
  });
};
