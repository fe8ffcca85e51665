// @ts-check

/**
 * Evidence packet references on proposals, and the lifecycle after apply: who applied with
 * which packet, verified (with a packet) or rolled back (reason and packet), and when a
 * verify was found overdue.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('approvals_proposals', table => {
    table.text('packets_json').nullable();
    table.string('applied_by', 255).nullable();
    table.string('applied_packet', 64).nullable();
    table.string('verified_at', 32).nullable();
    table.string('verified_by', 255).nullable();
    table.string('verified_packet', 64).nullable();
    table.string('rolled_back_at', 32).nullable();
    table.string('rolled_back_by', 255).nullable();
    table.text('rollback_reason').nullable();
    table.string('rollback_packet', 64).nullable();
    table.string('verify_overdue_at', 32).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('approvals_proposals', table => {
    table.dropColumns(
      'packets_json',
      'applied_by',
      'applied_packet',
      'verified_at',
      'verified_by',
      'verified_packet',
      'rolled_back_at',
      'rolled_back_by',
      'rollback_reason',
      'rollback_packet',
      'verify_overdue_at',
    );
  });
};
