// @ts-check

/**
 * The gate reads the newest proposal of a (tenant, change reference): an index in the order the
 * gate asks for (newest first, then id) lets the database read that one row without sorting
 * every proposal of the change first. It supersedes the (tenant, change) index, its prefix.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'CREATE INDEX approvals_proposals_change_order_idx ON approvals_proposals (tenant_ref, change_ref, submitted_at DESC, id)',
  );
  await knex.schema.alterTable('approvals_proposals', table => {
    table.dropIndex(
      ['tenant_ref', 'change_ref'],
      'approvals_proposals_change_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('approvals_proposals', table => {
    table.index(['tenant_ref', 'change_ref'], 'approvals_proposals_change_idx');
  });
  await knex.raw('DROP INDEX approvals_proposals_change_order_idx');
};
