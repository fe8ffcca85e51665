// @ts-check

/**
 * The one signing-key registry: keys (one active per user), the fingerprints of active keys
 * (primary and subkeys; the primary key of this table is what makes a fingerprint belong to
 * at most one user, even across replicas), one-time registration challenges and an
 * append-only audit trail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('signing_keys', table => {
    table.comment(
      'OpenPGP public keys of users; only active ones verify signatures',
    );
    table.string('id', 36).primary().notNullable();
    table.string('user_ref', 255).notNullable();
    table.string('fingerprint', 64).notNullable();
    table
      .text('fingerprints')
      .notNullable()
      .comment('JSON array: primary and subkeys');
    table.text('armored_key').notNullable();
    table.string('status', 16).notNullable();
    table.string('status_message', 1000).nullable();
    table.string('legacy_source', 64).nullable();
    table
      .string('legacy_key', 400)
      .nullable()
      .unique()
      .comment(
        'user_ref and fingerprint of an imported row: makes the import idempotent',
      );
    table.string('created_at', 32).notNullable();
    table.string('revoked_at', 32).nullable();
    table.string('revoked_by', 255).nullable();
    table.string('revoke_reason', 1000).nullable();
    table.index(['user_ref'], 'signing_keys_user_idx');
  });
  // At most one active key per user, whatever two replicas do at once.
  await knex.raw(
    "CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (user_ref) WHERE status = 'active'",
  );

  await knex.schema.createTable('signing_key_fingerprints', table => {
    table.comment(
      'Fingerprints (primary and subkeys) of active keys: one owner each',
    );
    table.string('fingerprint', 64).primary().notNullable();
    table.string('key_id', 36).notNullable();
    table.string('user_ref', 255).notNullable();
  });

  await knex.schema.createTable('signing_key_challenges', table => {
    table.comment('One-time challenges signed to prove possession of a key');
    table.string('id', 36).primary().notNullable();
    table.string('user_ref', 255).notNullable();
    table.string('purpose', 32).notNullable();
    table.string('text', 1000).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('expires_at', 32).notNullable();
    table.string('used_at', 32).nullable();
  });

  await knex.schema.createTable('signing_key_audit', table => {
    table.comment(
      'Append-only: registrations, replacements, revocations, flags, refusals',
    );
    table.increments('seq').primary();
    table.string('id', 36).notNullable().unique();
    table.string('at', 32).notNullable();
    table.string('action', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.string('user_ref', 255).notNullable();
    table.string('key_id', 36).nullable();
    table.string('fingerprint', 64).nullable();
    table.text('details').notNullable();
    table.index(['user_ref'], 'signing_key_audit_user_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('signing_key_audit');
  await knex.schema.dropTable('signing_key_challenges');
  await knex.schema.dropTable('signing_key_fingerprints');
  await knex.schema.dropTable('signing_keys');
};
