/**
 * The cases every plugin's reader of its old signing-key table passes (approvals and evidence
 * each kept one, `<plugin>_signing_keys`): nothing from an empty table, and every row mapped,
 * ordered by user. `open` gives a migrated database of the plugin and the reader over it.
 */
// Shared test cases (called inside each plugin's describe), not a test file of its own.
// eslint-disable-next-line jest/no-export
export function legacySigningKeyTableCases(options: {
  table: string;
  open(): Promise<{
    /** The plugin's knex client (only its insert is used). */
    db: (table: string) => { insert(rows: object[]): PromiseLike<unknown> };
    all(): Promise<unknown[]>;
  }>;
}) {
  it('reads nothing from an empty table', async () => {
    const { all } = await options.open();
    expect(await all()).toEqual([]);
  });

  it('reads every row of the old table, ordered by user', async () => {
    const { db, all } = await options.open();
    const armored = (user: string) =>
      `-----BEGIN PGP PUBLIC KEY BLOCK----- ${user}`;
    const row = (user: string, fingerprint: string) => ({
      user_ref: user,
      fingerprint,
      armored_key: armored(user),
      created_at: '2026-01-01T10:00:00.000Z',
      updated_at: '2026-01-02T10:00:00.000Z',
    });
    const OLIVIA = 'user:default/olivia.operator';
    const OSCAR = 'user:default/oscar.operator';
    await db(options.table).insert([
      row(OSCAR, 'B'.repeat(40)),
      row(OLIVIA, 'A'.repeat(40)),
    ]);
    expect(await all()).toEqual(
      [
        [OLIVIA, 'A'],
        [OSCAR, 'B'],
      ].map(([userRef, f]) => ({
        userRef,
        fingerprint: f.repeat(40),
        armoredKey: armored(userRef),
        createdAt: '2026-01-01T10:00:00.000Z',
      })),
    );
  });
}
