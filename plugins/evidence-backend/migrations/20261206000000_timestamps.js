// @ts-check

// RFC 3161 timestamps over a packet's manifest, as verified. Rows written before this
// migration hold none until their packet is verified again, which the next rescan does:
// the trust digest (formerly the key-ring digest alone) now covers the time-stamping
// authorities too, so it no longer matches any stored row.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_packets', table => {
    table.text('timestamps_json').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_packets', table => {
    table.dropColumn('timestamps_json');
  });
};
