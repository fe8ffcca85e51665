// @ts-check

// packet.json `kind`: what a packet says it is (eval-report, dataset-manifest, ...), read by
// the approvals gate. Rows written before this migration are verified again by the next scan
// (their fingerprint no longer matches), which fills the column from their packet.json.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence_packets', table => {
    table.string('packet_kind', 64).nullable();
  });
  await knex('evidence_packets').update({ fingerprint: 'reverify:packet-kind' });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence_packets', table => {
    table.dropColumn('packet_kind');
  });
};
