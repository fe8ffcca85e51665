import { isMigrationRace, pluginMigrations } from './migrations';

function fakeKnex(failures: unknown[]) {
  const latest = jest.fn(async () => {
    const failure = failures.shift();
    if (failure) throw failure;
  });
  return {
    knex: {
      client: { config: { client: 'better-sqlite3' } },
      migrate: { latest },
    } as any,
    latest,
  };
}

describe('pluginMigrations', () => {
  const apply = pluginMigrations('@internal/plugin-fabric-node', {
    retryDelayMs: 1,
  });

  it('runs the package migrations folder', async () => {
    const { knex, latest } = fakeKnex([]);
    await apply(knex);
    expect(latest).toHaveBeenCalledTimes(1);
    expect(latest.mock.calls[0]).toEqual([
      { directory: expect.stringMatching(/fabric-node[\\/]migrations$/) },
    ]);
  });

  it('does nothing when the database service says skip', async () => {
    const { knex, latest } = fakeKnex([]);
    await apply(knex, { migrations: { skip: true } } as any);
    expect(latest).not.toHaveBeenCalled();
  });

  it('retries a start that raced another replica on knex bookkeeping', async () => {
    const { knex, latest } = fakeKnex([
      new Error('Migration table is already locked'),
      new Error(
        'insert into "knex_migrations_lock" - duplicate key value violates unique constraint',
      ),
    ]);
    await apply(knex);
    expect(latest).toHaveBeenCalledTimes(3);
  });

  it('fails at once on any other error', async () => {
    const { knex, latest } = fakeKnex([new Error('syntax error at or near')]);
    await expect(apply(knex)).rejects.toThrow('syntax error');
    expect(latest).toHaveBeenCalledTimes(1);
  });
});

describe('isMigrationRace', () => {
  it.each([
    ['Migration table is already locked', true],
    ['relation "knex_migrations" already exists', true],
    ['table "proposals" already exists', false],
    ['duplicate key value violates unique constraint "users_pkey"', false],
  ])('%s -> %s', (message, race) => {
    expect(isMigrationRace(new Error(message))).toBe(race);
  });
});
