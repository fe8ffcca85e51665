// @ts-check

// Times are stored as fixed-width UTC ISO-8601 text (`2026-03-01T09:00:00.000Z`)
// so they compare correctly as strings and hash identically on every database.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('approvals_proposals', table => {
    table.comment(
      'Change proposals; the content columns never change after insert',
    );
    table.string('id', 36).primary().notNullable();
    table.string('tenant_ref', 255).notNullable();
    table.string('type', 32).notNullable();
    table.string('environment_ref', 255).notNullable();
    table.string('title', 255).notNullable();
    table.text('change_json').notNullable();
    table.string('requester_ref', 255).notNullable();
    table.text('evidence_json').notNullable();
    table.string('supersedes_id', 36).nullable();
    table.string('submitted_at', 32).notNullable();
    table.string('digest', 64).notNullable();
    // Mutable lifecycle columns, only ever changed by a conditional update on `version`.
    table.string('state', 32).notNullable();
    table.integer('version').notNullable();
    table.string('updated_at', 32).notNullable();
    table.string('superseded_by_id', 36).nullable();
    table.text('validation_json').nullable();
    table.string('applied_reference', 500).nullable();
    table.string('applied_at', 32).nullable();
    table.index(['tenant_ref'], 'approvals_proposals_tenant_idx');
    table.index(['state'], 'approvals_proposals_state_idx');
  });

  await knex.schema.createTable('approvals_decisions', table => {
    table.comment('Approvals and rejections of proposals');
    table.string('id', 36).primary().notNullable();
    table
      .string('proposal_id', 36)
      .notNullable()
      .references('id')
      .inTable('approvals_proposals')
      .onDelete('CASCADE');
    table.string('kind', 16).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.string('decided_at', 32).notNullable();
    table.string('expires_at', 32).nullable();
    table.text('reason').nullable();
    table.text('signature').nullable();
    table.string('signing_key_fingerprint', 128).nullable();
    table.text('override_reason').nullable();
    table.string('override_tracking_ref', 100).nullable();
    table.index(['proposal_id'], 'approvals_decisions_proposal_idx');
  });

  await knex.schema.createTable('approvals_claims', table => {
    table.comment(
      'Exclusive review leases with a time-to-live, one per proposal',
    );
    table
      .string('proposal_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('approvals_proposals')
      .onDelete('CASCADE');
    table.string('claimant_ref', 255).notNullable();
    table.string('claimed_at', 32).notNullable();
    table.string('expires_at', 32).notNullable();
  });

  await knex.schema.createTable('approvals_audit', table => {
    table.comment('Append-only, hash-chained audit log');
    table.integer('seq').primary().notNullable();
    table.string('id', 36).notNullable().unique();
    table.string('proposal_id', 36).nullable();
    table.string('action', 64).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.string('at', 32).notNullable();
    table.text('reason').nullable();
    table.text('details_json').notNullable();
    table.string('prev_hash', 64).notNullable().unique();
    table.string('hash', 64).notNullable();
    table.index(['proposal_id'], 'approvals_audit_proposal_idx');
  });

  await knex.schema.createTable('approvals_audit_head', table => {
    table.comment(
      'Single row: the last audit record; locked to serialise appends',
    );
    table.integer('id').primary().notNullable();
    table.integer('seq').notNullable();
    table.string('hash', 64).notNullable();
  });
  await knex('approvals_audit_head').insert({
    id: 1,
    seq: 0,
    hash: '0'.repeat(64),
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('approvals_audit_head');
  await knex.schema.dropTable('approvals_audit');
  await knex.schema.dropTable('approvals_claims');
  await knex.schema.dropTable('approvals_decisions');
  await knex.schema.dropTable('approvals_proposals');
};
