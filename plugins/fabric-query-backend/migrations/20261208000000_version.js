// @ts-check

/**
 * A version of the read model, raised in the transaction of every change: each replica keeps
 * the tables in memory for answering and reloads them when the version it sees has moved (one
 * primary-key read per second instead of a query per question).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('fabric_query_version', table => {
    table.comment('One row: raised with every change of the read model tables');
    table.integer('id').primary().notNullable().comment('always 1');
    table
      .bigInteger('version')
      .notNullable()
      .comment('raised by 1 in the transaction of each change');
  });
  await knex('fabric_query_version').insert({ id: 1, version: 1 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('fabric_query_version');
};
