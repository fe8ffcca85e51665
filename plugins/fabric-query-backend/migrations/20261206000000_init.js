// @ts-check

/**
 * The read model of the domain queries: one row per catalog entity of our kinds, and the facts
 * the questions look up (a plane's VLAN, a tenant's consumed services, the sites a rule governs,
 * the hosts a service runs on), indexed by (fact, value). Fed from the catalog's API only; no
 * table of the catalog is touched.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('fabric_query_entities', table => {
    table.comment(
      'Catalog entities of the fabric kinds, as last read from the catalog',
    );
    table
      .string('ref', 255)
      .primary()
      .notNullable()
      .comment('kind:namespace/name, lower-case');
    table.string('kind', 63).notNullable().comment('lower-case kind');
    table.string('namespace', 63).notNullable();
    table.string('name', 255).notNullable();
    table.text('title').nullable();
    table.string('type', 63).nullable().comment('spec.type, lower-case');
    table
      .string('etag', 255)
      .notNullable()
      .comment('metadata.etag the row was built from');
    table
      .text('entity')
      .notNullable()
      .comment('the stitched entity, JSON, for permission conditions');
    table.index(
      ['kind', 'namespace', 'name'],
      'fabric_query_entities_kind_name_idx',
    );
  });
  await knex.schema.createTable('fabric_query_facts', table => {
    table.comment(
      'Looked-up facts of the entities above, one row per (fact, value)',
    );
    table
      .string('fact', 63)
      .notNullable()
      .comment('e.g. vlan, consumes, governs, host');
    table.string('value', 255).notNullable().comment('lower-case value');
    table.string('ref', 255).notNullable().comment('fabric_query_entities.ref');
    table.primary(['fact', 'value', 'ref'], 'fabric_query_facts_pk');
    table.index(['ref'], 'fabric_query_facts_ref_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('fabric_query_facts');
  await knex.schema.dropTable('fabric_query_entities');
};
