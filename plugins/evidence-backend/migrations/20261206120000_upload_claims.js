// @ts-check

// One row per uploaded packet path, taken before the packet is written to object storage.
// Object storage has no "create only if absent", so replicas receiving uploads of the same
// packet path at once agree here, in one INSERT, on which content owns the path: packets are
// never replaced. A claim whose upload was cut off (a replica killed mid-upload) is completed by
// the next upload of the same content.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('evidence_upload_claims', table => {
    table.string('rel_path', 1024).primary();
    table.string('content_digest', 64).notNullable();
    table.string('claimed_at', 32).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evidence_upload_claims');
};
