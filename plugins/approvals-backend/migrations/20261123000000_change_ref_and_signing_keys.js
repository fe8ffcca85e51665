// @ts-check

/**
 * CI asks the gate by tenant + change reference (a merge request, a commit), so proposals
 * carry an optional change reference; operators register the OpenPGP keys they sign
 * production approvals with.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('approvals_proposals', table => {
    table.string('change_ref', 255).nullable();
    table.index(['tenant_ref', 'change_ref'], 'approvals_proposals_change_idx');
  });

  await knex.schema.createTable('approvals_signing_keys', table => {
    table.comment('OpenPGP public keys registered to catalog users, one per user');
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
  await knex.schema.dropTable('approvals_signing_keys');
  await knex.schema.alterTable('approvals_proposals', table => {
    table.dropIndex(['tenant_ref', 'change_ref'], 'approvals_proposals_change_idx');
    table.dropColumn('change_ref');
  });
};
