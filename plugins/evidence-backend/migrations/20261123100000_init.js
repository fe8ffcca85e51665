// @ts-check

// The index of evidence packets. The packets themselves live on disk (configured roots and
// the upload data directory) and are never modified; these tables only describe them.
// Times are fixed-width UTC ISO-8601 text so they compare correctly as strings everywhere.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('evidence_packets', table => {
    table.comment(
      'One row per packet folder found in a root or uploaded by CI',
    );
    table.string('id', 36).primary().notNullable();
    table.string('source', 120).notNullable();
    table.string('rel_path', 1000).notNullable();
    table.string('packet_key', 1000).notNullable();
    table.string('area', 100).notNullable();
    table.string('subject', 500).nullable();
    table.string('timestamp', 32).notNullable();
    table.string('tenant_ref', 255).nullable();
    table.string('title', 300).nullable();
    table.string('result', 32).nullable();
    table.string('verdict', 32).notNullable();
    table.text('reasons_json').notNullable();
    table.text('signatures_json').notNullable();
    table.text('signers_json').notNullable();
    table.integer('required_signers').notNullable();
    table.text('steps_json').notNullable();
    table.string('manifest_format', 16).nullable();
    table.string('manifest_sha256', 64).nullable();
    table.string('content_digest', 64).notNullable();
    table.integer('file_count').notNullable();
    table.bigInteger('total_bytes').notNullable();
    table.string('summary_path', 1000).nullable();
    // Cheap stat fingerprint and key-ring digest: a rescan re-verifies only when one changed.
    table.string('fingerprint', 64).notNullable();
    table.string('keyring_digest', 64).notNullable();
    table.string('indexed_at', 32).notNullable();
    table.string('verified_at', 32).notNullable();
    table.unique(['source', 'rel_path'], {
      indexName: 'evidence_packets_source_path_uq',
    });
    table.index(['timestamp'], 'evidence_packets_timestamp_idx');
    table.index(['tenant_ref'], 'evidence_packets_tenant_idx');
    table.index(['area'], 'evidence_packets_area_idx');
    table.index(['verdict'], 'evidence_packets_verdict_idx');
    table.index(['packet_key'], 'evidence_packets_key_idx');
  });

  await knex.schema.createTable('evidence_files', table => {
    table.comment('Files of a packet with their verification status');
    table
      .string('packet_id', 36)
      .notNullable()
      .references('id')
      .inTable('evidence_packets')
      .onDelete('CASCADE');
    table.string('path', 1000).notNullable();
    table.bigInteger('size').nullable();
    table.bigInteger('mtime_ms').nullable();
    table.string('sha256', 64).nullable();
    table.string('expected_sha256', 64).nullable();
    table.string('status', 16).notNullable();
    table.string('kind', 16).notNullable();
    table.boolean('is_text').notNullable();
    // Rule and line of each secret-like value; never the value.
    table.text('findings_json').notNullable();
    table.primary(['packet_id', 'path']);
  });

  await knex.schema.createTable('evidence_links', table => {
    table.comment('Catalog entities a packet links to by itself');
    table
      .string('packet_id', 36)
      .notNullable()
      .references('id')
      .inTable('evidence_packets')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.primary(['packet_id', 'entity_ref']);
    table.index(['entity_ref'], 'evidence_links_entity_idx');
  });

  await knex.schema.createTable('evidence_markers', table => {
    table.comment(
      'Acceptance markers found in the roots and the packets they cite',
    );
    table.increments('id').primary();
    table.string('source', 120).notNullable();
    table.string('marker_path', 1000).notNullable();
    table.string('title', 300).notNullable();
    table.string('packet_key', 1000).notNullable();
    table.index(['packet_key'], 'evidence_markers_key_idx');
    table.index(['source'], 'evidence_markers_source_idx');
  });

  await knex.schema.createTable('evidence_signing_keys', table => {
    table.comment('OpenPGP public keys users registered for signing manifests');
    table.string('user_ref', 255).primary().notNullable();
    table.string('fingerprint', 128).notNullable();
    table.text('armored_key').notNullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evidence_signing_keys');
  await knex.schema.dropTable('evidence_markers');
  await knex.schema.dropTable('evidence_links');
  await knex.schema.dropTable('evidence_files');
  await knex.schema.dropTable('evidence_packets');
};
