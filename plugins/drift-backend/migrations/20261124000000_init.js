// @ts-check

// Times are stored as fixed-width UTC ISO-8601 text (`2026-11-24T06:00:00.000Z`)
// so they compare correctly as strings on every database.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('drift_runs', table => {
    table.comment(
      'Drift runs: one snapshot of declared vs observed state of one entity, environment and source',
    );
    table.string('id', 36).primary().notNullable();
    // sha256 of entity, tenant, environment and source: the newest run of a scope is its current state.
    table.string('scope_key', 64).notNullable();
    table.string('source', 128).notNullable();
    table.string('environment', 64).notNullable();
    table.string('tenant_ref', 255).nullable();
    table.string('entity_ref', 255).notNullable();
    table.string('format', 16).notNullable();
    table.string('tool_version', 64).nullable();
    table.string('observed_at', 32).notNullable();
    table.string('received_at', 32).notNullable();
    table.string('verdict', 8).notNullable();
    table.integer('pass_count').notNullable();
    table.integer('warn_count').notNullable();
    table.integer('fail_count').notNullable();
    table.text('run_url').nullable();
    table.string('submitted_by', 255).notNullable();
    // Providers the run checked (JSON list); those without findings count as PASS.
    table.text('providers_json').notNullable();
    table.index(['scope_key', 'observed_at'], 'drift_runs_scope_idx');
    table.index(['entity_ref', 'observed_at'], 'drift_runs_entity_idx');
    table.index(['tenant_ref', 'observed_at'], 'drift_runs_tenant_idx');
    table.index(['observed_at'], 'drift_runs_observed_idx');
  });

  await knex.schema.createTable('drift_findings', table => {
    table.comment('Findings of a drift run; never changed after insert');
    table.increments('id');
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('drift_runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.string('provider', 64).notNullable();
    table.string('resource', 512).notNullable();
    table.string('resource_type', 128).nullable();
    table.string('class', 32).notNullable();
    table.string('verdict', 8).notNullable();
    table.text('declared_json').nullable();
    table.text('observed_json').nullable();
    table.text('message').nullable();
    table.index(['run_id'], 'drift_findings_run_idx');
  });

  await knex.schema.createTable('drift_resource_state', table => {
    table.comment(
      'Per resource of a scope: last verdict, WARN streak and what the owners were last told (notification rules)',
    );
    // sha256 of the scope and resource, so the key stays short whatever the address.
    table.string('key', 64).primary().notNullable();
    table.string('scope_key', 64).notNullable();
    table.string('tenant_ref', 255).nullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.string('source', 128).notNullable();
    table.string('provider', 64).notNullable();
    table.string('resource', 512).notNullable();
    table.string('verdict', 8).notNullable();
    table.integer('warn_streak').notNullable();
    table.string('announced', 8).nullable();
    table.string('last_run_id', 36).notNullable();
    table.string('updated_at', 32).notNullable();
    table.index(['scope_key'], 'drift_resource_state_scope_idx');
  });

  await knex.schema.createTable('drift_notifications', table => {
    table.comment(
      'Outbox of drift notifications: due now, held until quiet hours end, or suppressed by a maintenance window',
    );
    table.string('id', 36).primary().notNullable();
    table.string('run_id', 36).notNullable();
    table.string('status', 16).notNullable();
    table.string('due_at', 32).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('sent_at', 32).nullable();
    table.string('audience', 16).notNullable();
    table.text('recipients_json').notNullable();
    table.text('payload_json').notNullable();
    table.text('reason').nullable();
    table.index(['status', 'due_at'], 'drift_notifications_due_idx');
    table.index(['run_id'], 'drift_notifications_run_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_notifications');
  await knex.schema.dropTable('drift_resource_state');
  await knex.schema.dropTable('drift_findings');
  await knex.schema.dropTable('drift_runs');
};
