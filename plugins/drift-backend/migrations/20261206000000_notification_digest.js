// @ts-check

/**
 * Drift notifications go out as one digest per subject (the tenant, or the entity without a
 * tenant), audience and UTC day: every outbox entry names its digest.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('drift_notifications', table => {
    // `<day>|<audience>|<subject ref>`; empty for entries written before digests.
    table.string('digest_key', 320).nullable();
    table.index(['digest_key', 'status'], 'drift_notifications_digest_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('drift_notifications', table => {
    table.dropIndex(['digest_key', 'status'], 'drift_notifications_digest_idx');
    table.dropColumn('digest_key');
  });
};
