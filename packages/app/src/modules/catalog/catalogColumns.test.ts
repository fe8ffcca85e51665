import { fabricCatalogColumns } from './catalogColumns';

type Context = Parameters<typeof fabricCatalogColumns>[0];

const entity = (
  kind: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind,
  metadata: { name: `${kind.toLowerCase()}-1`, namespace: 'default' },
  spec,
  ...extra,
});

const fields = (kind: string, entities: ReturnType<typeof entity>[]) =>
  fabricCatalogColumns({
    filters: { kind: { value: kind.toLowerCase() } },
    entities,
  } as unknown as Context)
    .filter(c => !c.hidden)
    .map(c => String(c.field));

describe('catalog table columns', () => {
  it('drops System, Lifecycle and Tags for planes, which never fill them', () => {
    const shown = fields('Plane', [
      entity('Plane', { type: 'network', owner: 'group:default/ops' }, {}),
      entity('Plane', { type: 'business', owner: 'group:default/ops' }),
    ]);
    expect(shown).not.toContain('resolved.partOfSystemRelationTitle');
    expect(shown).not.toContain('entity.spec.lifecycle');
    expect(shown).not.toContain('entity.metadata.tags');
    expect(shown).toEqual(
      expect.arrayContaining([
        'resolved.entityRef',
        'resolved.ownedByRelationsTitle',
        'entity.spec.type',
      ]),
    );
  });

  it('keeps a column as soon as one listed entity fills it', () => {
    const shown = fields('Component', [
      entity('Component', { type: 'service' }),
      entity(
        'Component',
        { type: 'service', lifecycle: 'production' },
        {
          relations: [
            { type: 'partOf', targetRef: 'system:default/fabric' },
            { type: 'ownedBy', targetRef: 'group:default/ops' },
          ],
          metadata: { name: 'dns', tags: ['dns'], description: 'DNS' },
        },
      ),
    ]);
    expect(shown).toEqual(
      expect.arrayContaining([
        'resolved.partOfSystemRelationTitle',
        'entity.spec.lifecycle',
        'entity.metadata.tags',
        'entity.metadata.description',
      ]),
    );
  });

  it('does not count a partOf relation to a non-system as a System value', () => {
    const shown = fields('Component', [
      entity(
        'Component',
        { type: 'service' },
        { relations: [{ type: 'partOf', targetRef: 'plane:default/dns' }] },
      ),
    ]);
    expect(shown).not.toContain('resolved.partOfSystemRelationTitle');
  });

  it('keeps the stock columns while nothing is listed yet', () => {
    expect(fields('Plane', [])).toContain('entity.spec.lifecycle');
  });
});
