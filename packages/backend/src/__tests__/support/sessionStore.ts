/**
 * A `jest.mock` factory for `connect-session-knex`: the auth backend's session store without its
 * background cleanup. The store re-arms a cleanup query every minute and never stops it, not even
 * on backend.stop(); once afterAll drops a PostgreSQL run's databases that query would fail the
 * file. Use it as
 * `jest.mock('connect-session-knex', () => jest.requireActual('./support/sessionStore').withoutCleanup());`
 */
export function withoutCleanup() {
  const actual = jest.requireActual('connect-session-knex');
  return (session: unknown) => {
    const KnexStore = actual(session);
    return class extends KnexStore {
      constructor(options: Record<string, unknown>) {
        super({ ...options, disableDbCleanup: true });
      }
    };
  };
}
