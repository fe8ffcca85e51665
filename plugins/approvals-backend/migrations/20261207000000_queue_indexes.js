// @ts-check

/**
 * Indexes for the approvals queue: the list is ordered by submission time and filtered by
 * tenant, state, environment and type; "waiting for me" looks up the caller's approvals.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('approvals_proposals', table => {
    table.index(['submitted_at', 'id'], 'approvals_proposals_submitted_idx');
    table.index(
      ['tenant_ref', 'submitted_at'],
      'approvals_proposals_tenant_submitted_idx',
    );
    table.index(
      ['state', 'submitted_at'],
      'approvals_proposals_state_submitted_idx',
    );
    table.index(['environment_ref'], 'approvals_proposals_environment_idx');
    table.index(['type'], 'approvals_proposals_type_idx');
  });
  await knex.schema.alterTable('approvals_decisions', table => {
    table.index(
      ['proposal_id', 'kind', 'actor_ref'],
      'approvals_decisions_proposal_kind_actor_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('approvals_decisions', table => {
    table.dropIndex(
      ['proposal_id', 'kind', 'actor_ref'],
      'approvals_decisions_proposal_kind_actor_idx',
    );
  });
  await knex.schema.alterTable('approvals_proposals', table => {
    table.dropIndex(['type'], 'approvals_proposals_type_idx');
    table.dropIndex(['environment_ref'], 'approvals_proposals_environment_idx');
    table.dropIndex(
      ['state', 'submitted_at'],
      'approvals_proposals_state_submitted_idx',
    );
    table.dropIndex(
      ['tenant_ref', 'submitted_at'],
      'approvals_proposals_tenant_submitted_idx',
    );
    table.dropIndex(
      ['submitted_at', 'id'],
      'approvals_proposals_submitted_idx',
    );
  });
};
